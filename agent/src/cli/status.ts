/**
 * `status --agent URL [--target ID …] [-o table|json|yaml]`: what the agent is doing now, from its
 * GET /api/v1/status — per target the replicas now → wanted, the load, live weddings, protections, the
 * deploy freeze and the cost per hour. The table reads like `kubectl get`; json and yaml print the
 * agent's own document (the chosen targets only), for scripts.
 *   0  printed;  1  the agent cannot be asked, refuses the token, or does not know a target;  2  usage
 */
import { stringify } from 'yaml';
import type { Register } from './command';
import { statusSchema } from '../api/schemas';
import type { StatusDto, TargetStatusDto } from '../api/contract';
import { apiUrl, connectionFlags, EXIT_ERROR, EXIT_USAGE, readToken, requestAgent, timeoutMs, UsageError, type ConnectionOptions } from './agent-client';

export const OUTPUTS = ['table', 'json', 'yaml'] as const;
type Output = (typeof OUTPUTS)[number];

interface Options extends ConnectionOptions {
  target?: string[];
  output: string;
}

const dash = (v: number | null | undefined): string => (v === null || v === undefined ? '-' : String(v));

function replicas(t: TargetStatusDto): string {
  const wanted = t.lastDecision?.desiredReplicas ?? t.replicas.desired;
  const now = t.replicas.current;
  return now === wanted ? dash(now) : `${dash(now)}→${dash(wanted)}`;
}

function load(t: TargetStatusDto): string {
  if (t.load.error) return 'error';
  if (t.load.observed === null) return '-';
  const v = Math.round(t.load.observed * 10) / 10;
  return t.load.stale ? `${v} (stale)` : String(v);
}

function cost(t: TargetStatusDto): string {
  if (!t.cost || t.cost.perHour === null) return 'unknown';
  return `${t.cost.perHour.toFixed(2)} ${t.cost.currency}/h`;
}

/** Columns padded to their widest cell, two spaces apart, as kubectl prints. */
export function columns(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  );
}

/** The table: one agent line, then one row per target. Pure. */
export function statusTable(doc: StatusDto): string[] {
  const a = doc.agent;
  const header = `agent ${a.version} · cluster ${a.cluster} (${a.provider}/${a.region}) · mode ${a.mode} · ${a.leader ? 'leader' : 'standby'} · last tick ${a.lastTick ?? 'none yet'} · agent clock ${a.now}`;
  const rows = [['TARGET', 'WORKLOAD', 'REPLICAS', 'READY', 'MIN/MAX', 'LOAD', 'WEDDINGS', 'PROTECTIONS', 'FREEZE', 'OVERRIDES', 'COST']];
  for (const t of doc.targets) {
    rows.push([
      t.id,
      `${t.kubernetes.kind.toLowerCase()}/${t.kubernetes.namespace}/${t.kubernetes.name}`,
      replicas(t),
      dash(t.replicas.ready),
      `${t.replicas.min}/${t.replicas.max}`,
      load(t),
      String(t.liveWeddings),
      t.protections.join(',') || '-',
      t.deployFreeze ? 'frozen' : '-',
      String(t.overrides.length),
      cost(t),
    ]);
  }
  const lines = [header, ...columns(rows)];
  for (const t of doc.targets) if (t.scaleError) lines.push(`${t.id}: scale error: ${t.scaleError}`);
  for (const c of doc.calendar)
    if (!c.ok || c.held)
      lines.push(
        `calendar ${c.location}: ${c.held ? `update held (${c.held.upcomingBefore} → ${c.held.upcomingAfter} upcoming weddings)` : `failing: ${c.lastError ?? 'unknown error'}`}`,
      );
  return lines;
}

/** The chosen targets, or an error naming the unknown ones and the known. */
export function chooseTargets(doc: StatusDto, only: readonly string[] | undefined): StatusDto {
  if (!only?.length) return doc;
  const known = doc.targets.map((t) => t.id);
  const unknown = only.filter((id) => !known.includes(id));
  if (unknown.length) throw new Error(`unknown target(s): ${unknown.join(', ')} (the agent knows: ${known.join(', ') || 'none'})`);
  return { ...doc, targets: doc.targets.filter((t) => only.includes(t.id)) };
}

export function formatStatus(doc: StatusDto, output: Output): string[] {
  if (output === 'json') return [JSON.stringify(doc, null, 2)];
  if (output === 'yaml') return [stringify(doc).trimEnd()];
  return statusTable(doc);
}

export const registerStatus: Register = (program, io, exit) => {
  connectionFlags(
    program.command('status').description('what the agent is doing now: per target replicas now→wanted, load, live weddings, protections, deploy freeze, cost'),
    'viewer',
  )
    .option('--target <id...>', 'only these targets')
    .option('-o, --output <format>', `table, json or yaml`, 'table')
    .action(async (opts: Options) => {
      try {
        if (!(OUTPUTS as readonly string[]).includes(opts.output)) throw new UsageError(`--output: "${opts.output}" must be one of ${OUTPUTS.join(', ')}`);
        const timeout = timeoutMs(opts.timeout);
        const doc = await requestAgent({
          url: apiUrl(opts.agent, 'status'),
          token: readToken(opts.tokenFile, process.env),
          timeoutMs: timeout,
          schema: statusSchema,
          document: 'status document',
          forbidden: 'its role may not read the status',
        });
        formatStatus(chooseTargets(doc as StatusDto, opts.target), opts.output as Output).forEach((l) => io.out(l));
      } catch (err) {
        io.err(`status: ${(err as Error).message}`);
        exit.code = err instanceof UsageError ? EXIT_USAGE : EXIT_ERROR;
      }
    });
};
