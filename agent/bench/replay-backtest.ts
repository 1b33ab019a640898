/**
 * `npm run bench:replay`: the replay backtest on both shared traces, each run as the user would run it
 * (a fresh `wedsync-agent replay` process), several times; the median wall time and the (deterministic)
 * scores go into BENCHMARKS.md's "Replay backtest" section.
 *
 * Env: WEDSYNC_TRACES (default ../../shared/data/traces from agent/), REPLAY_RUNS (default 3).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ReplaySummary } from '../src/replay/compare';
import { readyReplicas, startupSteps } from '../src/replay/score';
import { readTrace } from '../src/replay/trace';

// Compiled to agent/.tmp/bench-replay/bench/.
const AGENT = resolve(__dirname, '..', '..', '..');
const CLI = join(__dirname, '..', 'src', 'cli', 'main.js');
const TRACES = process.env.WEDSYNC_TRACES ?? resolve(AGENT, '..', '..', 'shared', 'data', 'traces');
const RUNS = Number(process.env.REPLAY_RUNS ?? 3);
const BENCHMARKS = resolve(AGENT, '..', 'BENCHMARKS.md');
const SECTION = '## Replay backtest';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)} %`);
const num = (x: number) => x.toLocaleString('en-US');

const NO_SATURDAY = resolve(AGENT, 'bench', 'replay-no-saturday.yaml');
const DEMAND_HOLD = resolve(AGENT, 'bench', 'replay-saturday-demand.yaml');

/**
 * Unserved requests in the first start-up after a sudden jump (≥ 50 % in one step): at those minutes the
 * only pods that can serve are those already running, whatever a causal policy decides at the jump.
 */
function unservedAfterJumps(trace: string, replicasCsv: string): { share: number; jumps: number } {
  const t = readTrace(join(TRACES, trace));
  const r = readFileSync(replicasCsv, 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
  const ready = readyReplicas(r, startupSteps({ podStartupSeconds: t.meta.podStartupSeconds, stepSeconds: t.meta.stepSeconds, capacityPerPod: t.meta.podCapacityRps }));
  const lag = startupSteps({ podStartupSeconds: t.meta.podStartupSeconds, stepSeconds: t.meta.stepSeconds, capacityPerPod: t.meta.podCapacityRps });
  const short = (k: number) => Math.max(0, t.demand[k] - ready[k] * t.meta.podCapacityRps);
  let total = 0;
  let afterJump = 0;
  let jumps = 0;
  for (let k = 0; k < t.demand.length; k++) total += short(k);
  let covered = 0;
  for (let k = 1; k < t.demand.length; k++) {
    if (k < covered || t.demand[k] < 1.5 * t.demand[k - 1] || short(k) <= 0) continue;
    jumps++;
    covered = Math.min(t.demand.length, k + lag);
    for (let j = k; j < covered; j++) afterJump += short(j);
  }
  return { share: total ? afterJump / total : 0, jumps };
}

function runOnce(trace: string, config?: string): { summary: ReplaySummary; wallSeconds: number; csv: string } {
  const out = join(mkdtempSync(join(tmpdir(), 'wedsync-replay-bench-')), 'replicas.csv');
  const started = process.hrtime.bigint();
  const args = [CLI, 'replay', '--trace', join(TRACES, trace), '--output', out, ...(config ? ['--config', config] : [])];
  const stdout = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 << 20 });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { summary: JSON.parse(stdout) as ReplaySummary, wallSeconds, csv: out };
}

function table(results: Array<{ trace: string; summary: ReplaySummary; wall: number[]; noSaturday: ReplaySummary; demandHold: ReplaySummary; jumps: { share: number; jumps: number } }>): string {
  const lines: string[] = [];
  lines.push(`Command: \`npm run bench:replay -w agent\` (each trace replayed ${RUNS}× as a fresh \`wedsync-agent replay --trace DIR --output replicas.csv\` process; wall time is the median; scores are deterministic). Run on ${new Date().toISOString().slice(0, 10)}.`);
  lines.push('');
  lines.push('Scoring per `data/traces/README.md`: pods asked at minute t serve from t + ceil(start-up/60 s); removals at once; unserved = demand above ready × capacity (requests); cost = replica-hours asked for. All policies aim at the trace\'s target utilisation; the oracle asks at t for the most any minute in [t, t + start-up] needs. "oracle + hold" is the oracle obeying the same Saturday protection windows as the agent (no scale-down while a protected wedding is live): the cheapest schedule that keeps that rule.');
  lines.push('');
  lines.push('| trace | policy | overload min | unserved requests | replica-hours |');
  lines.push('|---|---|---:|---:|---:|');
  for (const r of results) {
    for (const [name, s] of Object.entries(r.summary.policies)) lines.push(`| ${r.trace} | ${name} | ${num(s.overloadMinutes)} | ${num(s.unservedRequests)} | ${num(s.replicaHours)} |`);
  }
  lines.push('');
  lines.push('| trace | agent overload ÷ HPA (≤ 10 %) | agent unserved ÷ HPA (≤ 10 %) | agent replica-hours ÷ oracle (≤ 1.10) | ÷ oracle + hold | replay wall time (< 60 s) | forecaster |');
  lines.push('|---|---:|---:|---:|---:|---:|---|');
  for (const r of results) {
    const s = r.summary;
    const ok = (b: boolean) => (b ? 'met' : 'missed');
    const wall = median(r.wall);
    lines.push(
      `| ${r.trace} | ${pct(s.agentVsHpa.overloadMinutes)} (${ok(s.targetsMet.overload)}) | ${pct(s.agentVsHpa.unservedRequests)} (${ok(s.targetsMet.unserved)}) | ${s.agentVsOracle.replicaHours.toFixed(3)} (${ok(s.targetsMet.replicaHours)}) | ${s.agentVsOracleWithHold.replicaHours.toFixed(3)} | ${wall.toFixed(1)} s (${ok(wall < 60)}) | ${s.agent.forecastMethod ?? 'none'} |`,
    );
  }
  lines.push('');
  lines.push('What Saturday protection costs: the same replay with `policy.saturdayHold: demand` (`--config bench/replay-saturday-demand.yaml`: keep what was running when the window opened and what observed load asked for since, release capacity only a prediction asked for), with `wedding.protectedWeekdays: []` (`--config bench/replay-no-saturday.yaml`: no protection), and the oracle\'s own price for keeping the rule.');
  lines.push('');
  lines.push('| trace | Saturday hold | agent overload ÷ HPA | unserved ÷ HPA | replica-hours ÷ oracle |');
  lines.push('|---|---|---:|---:|---:|');
  for (const r of results) {
    const hold = r.summary.policies.oracle_hold.replicaHours / r.summary.policies.oracle.replicaHours;
    for (const [name, n] of [['all (default)', r.summary], ['demand', r.demandHold], ['none (no protected weekdays)', r.noSaturday]] as const)
      lines.push(`| ${r.trace} | ${name} | ${pct(n.agentVsHpa.overloadMinutes)} | ${pct(n.agentVsHpa.unservedRequests)} | ${n.agentVsOracle.replicaHours.toFixed(3)} |`);
    lines.push(`| ${r.trace} | oracle keeping the rule | — | — | ${hold.toFixed(3)} |`);
  }
  lines.push('');
  for (const r of results) {
    lines.push(
      `- ${r.trace}: ${(r.jumps.share * 100).toFixed(0)} % of the agent's unserved requests fall in the first start-up after ${r.jumps.jumps} sudden jumps (≥ 50 % in one minute, unannounced surges and steps): minutes in which only the pods already running can serve, whatever a policy that sees demand only up to now decides.`,
    );
  }
  return lines.join('\n');
}

/** Replaces only this benchmark's section (others edit theirs concurrently). */
function writeSection(body: string): void {
  const text = readFileSync(BENCHMARKS, 'utf8');
  const start = text.indexOf(SECTION);
  if (start < 0) throw new Error(`${BENCHMARKS}: no "${SECTION}" section`);
  const next = text.indexOf('\n## ', start + SECTION.length);
  const end = next < 0 ? text.length : next + 1;
  writeFileSync(BENCHMARKS, `${text.slice(0, start)}${SECTION}\n${body}\n${next < 0 ? '' : '\n'}${text.slice(end)}`);
}

function main(): void {
  if (!existsSync(TRACES)) {
    console.error(`traces not found at ${TRACES}: set WEDSYNC_TRACES to the folder holding peak-season-8w/ and off-season-4w/`);
    process.exit(2);
  }
  const results = [];
  for (const trace of ['peak-season-8w', 'off-season-4w']) {
    const wall: number[] = [];
    let summary: ReplaySummary | null = null;
    let jumps = { share: 0, jumps: 0 };
    for (let i = 0; i < RUNS; i++) {
      const r = runOnce(trace);
      wall.push(r.wallSeconds);
      summary = r.summary;
      jumps = unservedAfterJumps(trace, r.csv);
      console.error(`${trace} run ${i + 1}/${RUNS}: ${r.wallSeconds.toFixed(1)} s`);
    }
    const noSaturday = runOnce(trace, NO_SATURDAY).summary;
    const demandHold = runOnce(trace, DEMAND_HOLD).summary;
    results.push({ trace, summary: summary!, wall, noSaturday, demandHold, jumps });
  }
  const body = table(results);
  writeSection(body);
  console.log(body);
}

main();
