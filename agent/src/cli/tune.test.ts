/**
 * `wedsync-agent tune` end to end on trace folders, in-process (the candidates replay one after another
 * here: under ts-jest there is no compiled worker): the outputs, the held-out split, a patch `validate`
 * accepts, an unmeetable goal, and the refusals with their exit codes. (Same seed, same search:
 * tune/search-space.test.ts.)
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { parseConfig } from '../app/config-load';
import { writeSyntheticTrace } from '../../test-support/synthetic-trace';
import { main } from './main';

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'wedsync-agent', 'tune', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'wedsync-tune-'));
// Two weeks and a day: the shortest history tune accepts, with a surge in the held-out part.
const trace = writeSyntheticTrace(join(tmp(), 'trace'), { days: 15, surgeAtMinute: 13 * 1440 + 11 * 60 });
// The same history with its 13th day missing (no rows): a quarter of the held-out part.
const gappy = writeSyntheticTrace(join(tmp(), 'gappy'), { days: 15 }).dir;
const rows = readFileSync(join(gappy, 'trace.csv'), 'utf8').split('\n');
writeFileSync(join(gappy, 'trace.csv'), [...rows.slice(0, 1 + 13 * 1440), ...rows.slice(1 + 14 * 1440)].join('\n'));
const args = ['--trace', trace.dir, '--settings', 'targetUtilization,burstQuantile', '--candidates', '3'];

describe('wedsync-agent tune --trace', () => {
  let first: { out: string; summary: Record<string, any>; patch: string };

  beforeAll(async () => {
    const out = tmp();
    const r = await run(...args, '--out', out);
    expect(r.err).toMatch(/tune: replay: (chosen|GOAL)/);
    expect(r.code).toBe(0);
    first = { out, summary: JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')), patch: readFileSync(join(out, 'tuned-policy.yaml'), 'utf8') };
  }, 600_000);

  test('tunes on the earlier part, checks on the later part, no worse than the defaults there on the tuning part', () => {
    const t = first.summary.targets[0];
    expect(t.tunedOn.to).toBe(t.heldOut.from);
    expect(Date.parse(t.heldOut.to) - Date.parse(t.heldOut.from)).toBe(Math.round(15 * 1440 * 0.25) * 60_000);
    expect(t.candidates).toHaveLength(3);
    expect(t.candidates[0].settings).toEqual({});
    expect(t.chosen.tune.overloadMinutes).toBeLessThanOrEqual(t.defaults.tune.overloadMinutes);
    expect(t.chosen.tune.unservedRequests).toBeLessThanOrEqual(t.defaults.tune.unservedRequests);
    const cheapestQualifying = Math.min(
      ...t.candidates
        .filter((c: any) => c.tune.overloadMinutes <= t.defaults.tune.overloadMinutes && c.tune.unservedRequests <= t.defaults.tune.unservedRequests)
        // The margin: also no worse than the defaults with 1.2× the demand (objective.ts STRESS_FACTOR).
        .filter(
          (c: any) =>
            c.tuneStressed.overloadMinutes <= t.candidates[0].tuneStressed.overloadMinutes &&
            c.tuneStressed.unservedRequests <= t.candidates[0].tuneStressed.unservedRequests,
        )
        .map((c: any) => c.tune.replicaHours),
    );
    expect(t.chosen.tune.replicaHours).toBe(cheapestQualifying);
    expect(t.heldOut).toBeDefined();
    expect(t.chosen.heldOut.replicaHours).toBeGreaterThan(0);
  });

  test('report.html marks the chosen point on the frontier chart; the patch is a config validate accepts', () => {
    const html = readFileSync(join(first.out, 'report.html'), 'utf8');
    expect(html).toContain('data-testid="frontier-chart"');
    expect(html).toContain('data-testid="chosen-point"');
    expect(html).toContain('data-testid="hpa-frontier"');
    const patch = parse(first.patch) as { targets: Array<Record<string, unknown>> };
    expect(patch.targets[0].id).toBe('replay');
    const config = parseConfig(readFileSync(resolve(__dirname, '../../demo/demo.yaml'), 'utf8'), 'demo.yaml', {});
    const target = { ...config.targets[0], ...patch.targets[0], id: config.targets[0].id };
    expect(() => parseConfig(JSON.stringify({ ...config, targets: [target, ...config.targets.slice(1)] }), 'tuned.yaml', {})).not.toThrow();
  });

  test('a goal no candidate meets: exit 3, the nearest point named, the target left out of the patch', async () => {
    const out = tmp();
    const r = await run(...args, '--candidates', '2', '--out', out, '--goal', 'overload<=0*oracle,cost<=0.5*oracle');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/GOAL NOT MET, nearest .*no candidate meets overload<=0\*oracle,cost<=0.5\*oracle; nearest: overload/);
    expect(readFileSync(join(out, 'tuned-policy.yaml'), 'utf8')).toMatch(/Goal not met \(left out\): replay/);
  }, 600_000);

  test.each([
    [['--trace', resolve(__dirname, '../../demo/trace')], 2, /2\.0 days of history; tune needs at least 14/],
    [[...args, '--settings', 'targetUtilisation'], 2, /unknown setting "targetUtilisation" \(tune searches targetUtilization, burstQuantile/],
    [[...args, '--goal', 'latency<=3'], 2, /--goal "latency<=3": expected METRIC<=NUMBER/],
    [[...args, '--budget', 'cheap'], 2, /--budget "cheap": expected FACTORx-REFERENCE/],
    [['--out', 'x'], 2, /give --trace DIR, or --config FILE with --from and --to/],
    [
      ['--trace', gappy],
      2,
      /replay: \d+ of the \d+ minutes of the held-out part have no data \(first at 2027-06-17T00:00:00\.000Z\); more than 10 % missing: choose a range without the gap/,
    ],
  ])('refuses %j with exit %i', async (a, code, message) => {
    const r = await run(...(a.includes('--out') ? a : [...a, '--out', tmp()]));
    expect(r.err).toMatch(message);
    expect(r.code).toBe(code);
  });
});
