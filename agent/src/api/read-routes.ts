/** Read-only routes (viewer and above): status, forecast, decisions, anomalies, calendar, audit. */
import type { Router } from 'express';
import { daysOverlapping } from '../calendar/rules';
import { requireRole } from './auth';
import { HttpError } from './errors';
import { anomalyDto, auditDto, calendarWindowDto, decisionDto, iso } from './dto';
import type { SinkHealth } from './contract';
import { StatusCache } from './status-cache';
import type { AnomalyListDto, AuditListDto, CalendarDto, DecisionListDto, ForecastDto } from './contract';
import { parse, sinceMs, targetOr404, type RouteContext } from './context';
import { anomaliesQuerySchema, auditQuerySchema, calendarQuerySchema, decisionsQuerySchema, emptyQuerySchema, forecastQuerySchema } from './schemas';

const DAY_MS = 86_400_000;
const MAX_CALENDAR_RANGE_MS = 400 * DAY_MS;

/** Newest first, at most `limit`, not older than `since`. */
function recent<T>(items: T[], atMs: (x: T) => number, since: number, limit: number, keep: (x: T) => boolean = () => true): T[] {
  const out: T[] = [];
  for (let i = items.length - 1; i >= 0 && out.length < limit; i--) {
    const x = items[i];
    if (atMs(x) >= since && keep(x)) out.push(x);
  }
  return out;
}

export function registerReadRoutes(r: Router, ctx: RouteContext, sinks: () => SinkHealth[]): void {
  const { state, clock } = ctx;
  const viewer = requireRole('viewer');

  const status = new StatusCache(state);
  r.get('/status', viewer, (req, res) => {
    parse(emptyQuerySchema, req.query, 'query');
    // The hot path (panels poll it): a plain end() skips res.send's content-type and freshness work.
    const body = Buffer.from(status.body(clock(), sinks()), 'utf8');
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
    res.end(body);
  });

  r.get('/targets/:id/forecast', viewer, (req, res) => {
    const q = parse(forecastQuerySchema, req.query, 'query');
    const t = targetOr404(state, req.params.id as string, 'target')!;
    const f = t.forecast;
    const fromMs = state.info.lastTickMs ?? clock();
    const untilMs = q.horizon === undefined ? Infinity : fromMs + q.horizon * 3_600_000;
    const body: ForecastDto = {
      target: t.config.id,
      method: f?.method ?? 'none',
      coldStart: f?.coldStart ?? true,
      points: (f?.points ?? []).filter((p) => p.tMs <= untilMs).map((p) => ({ t: iso(p.tMs), value: p.value, lower: p.lower, upper: p.upper })),
    };
    res.json(body);
  });

  r.get('/decisions', viewer, (req, res) => {
    const q = parse(decisionsQuerySchema, req.query, 'query');
    targetOr404(state, q.target);
    const list = recent(
      state.decisions.toArray(),
      (d) => d.atMs,
      sinceMs(q.since),
      q.limit,
      (d) => !q.target || d.targetId === q.target,
    );
    res.json({ decisions: list.map(decisionDto) } satisfies DecisionListDto);
  });

  r.get('/anomalies', viewer, (req, res) => {
    const q = parse(anomaliesQuerySchema, req.query, 'query');
    targetOr404(state, q.target);
    const list = recent(
      state.anomalies.toArray(),
      (a) => a.atMs,
      sinceMs(q.since),
      q.limit,
      (a) => !q.target || a.targetId === q.target,
    );
    res.json({ anomalies: list.map(anomalyDto) } satisfies AnomalyListDto);
  });

  r.get('/calendar', viewer, (req, res) => {
    const q = parse(calendarQuerySchema, req.query, 'query');
    const t = targetOr404(state, q.target);
    const fromMs = q.from ? Date.parse(q.from) : clock();
    const toMs = q.to ? Date.parse(q.to) : fromMs + 7 * DAY_MS;
    if (!(toMs > fromMs)) throw new HttpError(400, 'invalid query: to: must be after from', [{ field: 'query.to', reason: 'must be after from' }]);
    if (toMs - fromMs > MAX_CALENDAR_RANGE_MS)
      throw new HttpError(400, 'invalid query: to: the range may span at most 400 days', [
        { field: 'query.to', reason: 'the range may span at most 400 days' },
      ]);
    const zones = t?.config.timezones ?? [];
    const days = daysOverlapping(state.calendar, fromMs, toMs).filter((d) => !zones.length || zones.includes(d.wedding.timezone));
    res.json({
      from: iso(fromMs),
      to: iso(toMs),
      windows: days.map((d) => calendarWindowDto(d, state.calendar.rules.protectedWeekdays)),
    } satisfies CalendarDto);
  });

  r.get('/audit', viewer, (req, res) => {
    const q = parse(auditQuerySchema, req.query, 'query');
    res.json({ entries: recent(state.audit.toArray(), (a) => a.atMs, sinceMs(q.since), q.limit).map(auditDto) } satisfies AuditListDto);
  });
}
