/**
 * `npm run bench:backtest`: `wedsync-agent backtest` over 8 weeks × 3 targets from a real local Prometheus
 * (Debian `prometheus`), as a user runs it (a fresh process), several times; the median wall time goes
 * into BENCHMARKS.md's "Backtest from Prometheus" section. The history is the shared peak-season-8w
 * trace (demand × 1, × 0.6, × 1.5 for three targets) moved 52 weeks into the past — same weekdays, same
 * season — and backfilled with `promtool tsdb create-blocks-from openmetrics` (not timed). Once, outside
 * the timing, the first target is also replayed from a trace folder of the same data: the schedules must
 * be equal.
 *
 * Env: WEDSYNC_TRACES (default ../../shared/data/traces from agent/), BACKTEST_RUNS (default 3).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCHMARKS_MD as BENCHMARKS, BUILT_CLI as CLI, SHARED_TRACES as TRACES } from './bench-paths';
import { HISTORY_TARGETS, startPrometheusHistory } from './prometheus-history';

const RUNS = Number(process.env.BACKTEST_RUNS ?? 3);
const SECTION = '## Backtest from Prometheus';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

async function main(): Promise<void> {
  const src = join(TRACES, 'peak-season-8w');
  if (!existsSync(src)) {
    console.error(`trace not found at ${src}: set WEDSYNC_TRACES to the folder holding peak-season-8w/`);
    process.exit(2);
  }
  const work = mkdtempSync(join(tmpdir(), 'wedsync-backtest-bench-'));
  const history = await startPrometheusHistory(src, work);
  const { config, trace, traceDir, fromMs, toMs, backfillSeconds } = history;
  console.error(`backfilled ${HISTORY_TARGETS.length} × ${trace.demand.length} samples in ${backfillSeconds.toFixed(1)} s`);
  try {
    const wall: number[] = [];
    let out = '';
    for (let i = 0; i < RUNS; i++) {
      out = join(work, `report-${i}`);
      const started = Date.now();
      execFileSync(
        process.execPath,
        [CLI, 'backtest', '--config', config, '--from', new Date(fromMs).toISOString(), '--to', new Date(toMs).toISOString(), '--out', out],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
      wall.push((Date.now() - started) / 1000);
      console.error(`run ${i + 1}/${RUNS}: ${wall[i].toFixed(1)} s`);
    }
    // Outside the timing: the first target's schedule equals replay's on the same data in a trace folder.
    const replayCsv = join(work, 'replay.csv');
    execFileSync(process.execPath, [CLI, 'replay', '--trace', traceDir, '--config', config, '--output', replayCsv], { stdio: 'ignore' });
    const equal = readFileSync(join(out, 'replicas-api.csv'), 'utf8') === readFileSync(replayCsv, 'utf8');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
      targets: Array<{ id: string; policies: Record<string, { overloadMinutes: number; replicaHours: number }>; headline: { text: string } }>;
    };
    const w = median(wall);
    const lines = [
      `Command: \`npm run bench:backtest -w agent\` (agent/bench/backtest-prometheus.ts): \`wedsync-agent backtest\` as a fresh process over ${HISTORY_TARGETS.length} targets × ${trace.demand.length / 10_080} weeks (${trace.demand.length.toLocaleString('en-US')} minutes each) from a real Prometheus 2.42 on 127.0.0.1, history = the shared peak-season-8w demand × 1 / × 0.6 / × 1.5 moved 52 weeks back and backfilled with promtool (${backfillSeconds.toFixed(0)} s, not timed). ${RUNS} runs, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} CPUs shared with other work.`,
      '',
      '| measure | figure |',
      '|---|---|',
      `| backtest wall time, 8 weeks × 3 targets (median of ${RUNS}) | **${w.toFixed(1)} s** (runs ${wall.map((x) => x.toFixed(1)).join(', ')}) — target ≤ 10 s (issue 25): ${w <= 10 ? 'met' : 'missed'} |`,
      `| query_range requests per target (60 s steps, ≤ 10,000 points each) | ${Math.ceil(trace.demand.length / 10_000)} for demand + 1–2 per replica series |`,
      `| agent schedule equal to \`replay\`'s on the same data (target api) | ${equal ? 'yes' : '**no**'} |`,
      '',
      '| target | agent overload min | HPA v2 overload min | agent replica-hours | headline |',
      '|---|---:|---:|---:|---|',
      ...summary.targets.map(
        (t: { id: string; policies: Record<string, { overloadMinutes: number; replicaHours: number }>; headline: { text: string } }) =>
          `| ${t.id} | ${t.policies.agent.overloadMinutes} | ${t.policies.hpa_v2.overloadMinutes} | ${t.policies.agent.replicaHours.toLocaleString('en-US')} | ${t.headline.text} |`,
      ),
    ];
    writeSection(lines.join('\n'));
    console.log(lines.join('\n'));
    if (!equal) process.exitCode = 1;
  } finally {
    history.stop();
  }
}

/** Replaces only this benchmark's section (adds it at the end the first time). */
function writeSection(body: string): void {
  const text = readFileSync(BENCHMARKS, 'utf8');
  const start = text.indexOf(SECTION);
  if (start < 0) {
    writeFileSync(BENCHMARKS, `${text.trimEnd()}\n\n${SECTION}\n${body}\n`);
    return;
  }
  const next = text.indexOf('\n## ', start + SECTION.length);
  writeFileSync(BENCHMARKS, `${text.slice(0, start)}${SECTION}\n${body}\n${next < 0 ? '' : text.slice(next)}`);
}

void main();
