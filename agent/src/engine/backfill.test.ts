import { backfillHistory, BACKFILL_CONCURRENCY } from './backfill';
import { configSchema } from '../app/config-schema';
import type { LoadSource } from '../contracts/load-source';
import { silentLogger } from '../util/logger';

function config(targets: number) {
  return configSchema.parse({
    agent: { mode: 'dry-run' },
    sources: { sim: { type: 'simulator' } },
    forecast: { backfillHours: 24 },
    targets: Array.from({ length: targets }, (_, i) => ({
      id: `t-${i}`,
      kubernetes: { namespace: 'n', name: `t-${i}` },
      load: { source: 'sim', query: `q${i}` },
      capacityPerPod: 10,
      maxReplicas: 5,
    })),
  });
}

describe('backfillHistory', () => {
  it(`fetches at most ${BACKFILL_CONCURRENCY} targets' history at once (bounded start-up heap) and seeds every target`, async () => {
    let inFlight = 0;
    let most = 0;
    const source = {
      history: async (target: { id: string }, from: number) => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return [{ tMs: from, value: Number(target.id.slice(2)) }];
      },
    } as unknown as LoadSource;
    const seeded: string[] = [];
    await backfillHistory({
      config: config(20),
      sources: { sim: source },
      clock: () => Date.UTC(2027, 0, 1),
      logger: silentLogger,
      seed: (id) => seeded.push(id),
    });
    expect(most).toBe(BACKFILL_CONCURRENCY);
    expect(seeded.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `t-${i}`).sort());
  });

  it('stops starting new fetches at the deadline', async () => {
    let calls = 0;
    const source = {
      history: async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 40));
        return [];
      },
    } as unknown as LoadSource;
    await backfillHistory({ config: config(20), sources: { sim: source }, clock: () => 0, logger: silentLogger, seed: () => undefined }, 50, 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(calls).toBeLessThanOrEqual(6);
  });
});
