/**
 * The agent decides on demand up to the minute it decides, never later: replaying a trace whose future
 * was changed leaves every earlier decision identical (the real Agent, loop and planner, as in replay.test).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayAgent } from './run-replay';
import { writeSyntheticTrace } from '../../test-support/synthetic-trace';
import { readTrace } from './trace';

describe('replay: no look-ahead', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wedsync-lookahead-'));
    writeSyntheticTrace(join(dir, 'trace'), { days: 1, surgeAtMinute: 600 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a changed future (bursts from minute 800 on) leaves the decisions before it identical', async () => {
    const trace = readTrace(join(dir, 'trace'));
    const cut = 800;
    const changed = { ...trace, demand: Float64Array.from(trace.demand, (d, k) => (k < cut ? d : k % 10 < 5 ? d * 3 + 400 : d)) };
    const [a, b] = [await replayAgent(trace), await replayAgent(changed)];
    expect(Array.from(b.replicas.subarray(0, cut))).toEqual(Array.from(a.replicas.subarray(0, cut)));
    // The change is one the agent does react to, once it has seen it.
    expect(Array.from(b.replicas.subarray(cut))).not.toEqual(Array.from(a.replicas.subarray(cut)));
  });
});
