/**
 * POST /ingest: samples pushed by clients into the agent's push sources. Only series a target watches
 * (its `load.query`, written as `name{label="v",…}` with labels sorted) are stored — the rest are
 * counted as `unwatched` — so a client cannot grow the agent's memory with series nobody reads. The
 * answer counts every point: accepted, or rejected by reason (the push source's rules for future,
 * out-of-order, negative and implausible points — above the watching targets' maxReplicas ×
 * capacityPerPod × 100, sources/plausible-load.ts; see push-source.ts), and so does
 * `wedsync_agent_ingest_points_rejected_total{reason}`.
 */
import type { Router } from 'express';
import { acceptsPushes, emptyRejections, seriesKey, type PushIngest, type PushIngestResult } from '../contracts/push-ingest';
import type { LoadSource } from '../contracts/load-source';
import { requireRole } from './auth';
import { HttpError, badRequest } from './errors';
import { IngestGate } from './ingest-gate';
import { jsonBody, type RouteContext } from './context';
import { ingestRequestSchema } from './schemas';
import type { IngestRequest, IngestResultDto } from './contract';
import { isValidIngestBody } from './ingest-fast-check';
import { plausibleLoadLimit } from '../contracts/plausible-load';

/** Generous per-sample allowance (`[8640000000000000,-1.7976931348623157e+308],` is 45 bytes) plus names and labels. */
const BYTES_PER_SAMPLE = 64;
const BODY_OVERHEAD = 64 * 1024;

/** Series key → the push sources whose targets watch it, and the largest load plausible for any of those targets. */
export function watchedSeries(ctx: RouteContext, sources: Record<string, LoadSource>): Map<string, { sources: PushIngest[]; maxValue: number }> {
  const out = new Map<string, { sources: PushIngest[]; maxValue: number }>();
  for (const t of ctx.state.targets.values()) {
    const src = sources[t.config.load.source];
    if (!acceptsPushes(src)) continue;
    const entry = out.get(t.config.load.query) ?? { sources: [], maxValue: 0 };
    if (!entry.sources.includes(src)) entry.sources.push(src);
    entry.maxValue = Math.max(entry.maxValue, plausibleLoadLimit(t.config));
    out.set(t.config.load.query, entry);
  }
  return out;
}

export function registerIngestRoutes(r: Router, ctx: RouteContext, sources: Record<string, LoadSource>): void {
  const { config, metrics, clock } = ctx;
  const watched = watchedSeries(ctx, sources);
  const gate = new IngestGate(config.ingestSamplesPerSecond, config.ingestMaxConcurrent, clock);

  r.post(
    '/ingest',
    requireRole('operator'),
    // Shed load before reading the body: a saturated agent answers at once.
    (_req, res, next) => {
      if (!gate.enter()) throw new HttpError(429, 'ingest is saturated; retry later', undefined, { 'Retry-After': '1' });
      res.once('close', () => gate.leave());
      next();
    },
    ...jsonBody(config.maxIngestSamples * BYTES_PER_SAMPLE + BODY_OVERHEAD),
    (req, res) => {
      // The fast check accepts exactly what the schema accepts; the schema runs only to explain a refusal.
      let body: IngestRequest;
      if (isValidIngestBody(req.body)) body = req.body;
      else {
        const parsed = ingestRequestSchema.safeParse(req.body);
        if (!parsed.success) throw badRequest(parsed.error, '');
        body = parsed.data;
      }
      const { series } = body;
      let samples = 0;
      for (const s of series) samples += s.points.length;
      if (samples > config.maxIngestSamples) {
        metrics.ingestRejected.inc({ reason: 'too_large' }, samples);
        throw new HttpError(413, `batch has ${samples} samples; the limit is ${config.maxIngestSamples} (api.maxIngestSamples)`);
      }
      const wait = gate.take(samples);
      if (wait !== null) {
        metrics.ingestRejected.inc({ reason: 'saturated' }, samples);
        throw new HttpError(429, `ingest is saturated (over ${config.ingestSamplesPerSecond} samples/s); retry in ${wait} s`, undefined, {
          'Retry-After': String(wait),
        });
      }
      const now = clock();
      let accepted = 0;
      const rejected = { ...emptyRejections(), unwatched: 0 };
      for (const s of series) {
        const labels = s.labels ?? {};
        const targets = watched.get(seriesKey(s.name, labels));
        if (!targets) {
          rejected.unwatched += s.points.length;
          continue;
        }
        // Sources watching the same series saw the same points: report the one that stored most.
        let best: PushIngestResult | null = null;
        for (const src of targets.sources) {
          const r = src.ingest(s.name, labels, s.points, now, targets.maxValue);
          if (!best || r.accepted > best.accepted) best = r;
        }
        accepted += best!.accepted;
        for (const [reason, n] of Object.entries(best!.rejected)) rejected[reason as keyof typeof rejected] += n;
      }
      metrics.ingested.inc(accepted);
      for (const [reason, n] of Object.entries(rejected)) if (n) metrics.ingestRejected.inc({ reason }, n);
      res.json({ accepted, rejected, series: series.length } satisfies IngestResultDto);
    },
  );
}
