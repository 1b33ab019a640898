/** `wedsync-agent capacity-plan`: against a running agent (--agent, token from the environment) and from a config (--config). */
import { main } from './main';
import { createDemoAgent, DEMO_CONFIG, DEMO_START } from './demo';
import { generateRoleTokens } from '../api/auth';
import { CAPACITY_TOKEN_ENV } from './capacity-plan';
import type { CapacityPlanDto } from '../api/contract';

async function cli(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'wedsync-agent', 'capacity-plan', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('capacity-plan command', () => {
  const saved = process.env[CAPACITY_TOKEN_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[CAPACITY_TOKEN_ENV];
    else process.env[CAPACITY_TOKEN_ENV] = saved;
  });

  it('--agent: asks GET /api/v1/capacity-plan with the viewer token from the environment, prints the plan', async () => {
    const { value, tokens } = generateRoleTokens();
    const agent = createDemoAgent({ port: 0, speed: 60, start: DEMO_START, apiTokens: value });
    const addr = await agent.start();
    try {
      await agent.loop.trigger();
      const url = `http://127.0.0.1:${addr.port}`;
      delete process.env[CAPACITY_TOKEN_ENV];
      const refused = await cli('--agent', url);
      expect(refused.code).toBe(1);
      expect(refused.err.join('\n')).toMatch(/answered 401/);
      process.env[CAPACITY_TOKEN_ENV] = tokens.viewer;
      const text = await cli('--agent', url);
      expect(text.code).toBe(0);
      expect(text.out[0]).toBe('Capacity plan for cluster demo, 2027-06-05T00:00:00.000Z → 2027-06-07T00:00:00.000Z (5-minute steps)');
      expect(text.out.join('\n')).toMatch(/^ {2}nodes +\d+ in pool general \(7 pods per node\)$/m);
      expect(text.out.join('\n')).toMatch(/^Total: [\d.]+ USD over the window; [\d.]+ USD\/h at the busiest hour$/m);
      const json = await cli('--agent', url, '--from', '2027-06-05T12:00:00Z', '--to', '2027-06-05T18:00:00Z', '--json');
      const plan = JSON.parse(json.out.join('\n')) as CapacityPlanDto;
      expect([plan.from, plan.to]).toEqual(['2027-06-05T12:00:00.000Z', '2027-06-05T18:00:00.000Z']);
      const bad = await cli('--agent', url, '--from', '2027-06-06T00:00:00Z', '--to', '2027-06-05T00:00:00Z');
      expect(bad).toMatchObject({ code: 2, err: [expect.stringMatching(/answered 400: invalid query: to: must be after from/)] });
    } finally {
      await agent.stop();
    }
  });

  it('--config: plans here from the config (calendar, simulator history, price table)', async () => {
    const r = await cli('--config', DEMO_CONFIG, '--from', '2027-06-05', '--to', '2027-06-07', '--json');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.out.join('\n')) as CapacityPlanDto;
    expect(plan.targets.map((t) => t.target)).toEqual(['api', 'photo-upload', 'notifications']);
    for (const t of plan.targets) {
      expect(t.missingPoints).toBe(0);
      expect(t.cost.source).toBe('table');
      expect(t.cost.window).toBeCloseTo(t.cost.perReplicaHour! * t.cost.replicaHours, 6);
    }
    expect(plan.pools.map((p) => p.pool).sort()).toEqual(['general', 'spot']);
  }, 60_000);

  it('refuses ambiguous or unreadable arguments with exit code 2', async () => {
    expect(await cli()).toMatchObject({ code: 2, err: ['capacity-plan: give exactly one of --agent URL and --config FILE'] });
    expect(await cli('--config', DEMO_CONFIG, '--from', 'saturday')).toMatchObject({
      code: 2,
      err: [expect.stringMatching(/--from: "saturday" is not a time/)],
    });
    expect(await cli('--config', DEMO_CONFIG, '--from', '2020-01-01', '--to', '2020-01-02')).toMatchObject({
      code: 2,
      err: [expect.stringMatching(/the window has passed/)],
    });
  });
});
