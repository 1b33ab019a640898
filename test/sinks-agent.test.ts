/**
 * The agent wires its sinks: built from config, fed from its own registry after every tick, reported
 * for /status, flushed on stop. Real agent (simulator source, dry-run scaler, real timers), a memory
 * sink and a New Relic Metric API stand-in that is down (503) for the whole run.
 */
import { Agent } from '../agent/src/app/agent';
import { parseConfig } from '../agent/src/app/config-load';
import { METRIC } from '../agent/src/metrics/names';
import type { MemorySink } from '../agent/src/sinks/memory-sink';
import { silentLogger } from '../agent/src/util/logger';
import { startCaptureServer, type CaptureServer } from './sinks-capture';

// Real servers and (for Datadog) a 2–4 s client load on a shared 2-core machine: allow more than Jest's 5 s.
jest.setTimeout(30_000);

let nr: CaptureServer;
let agent: Agent | null = null;
afterEach(async () => {
  await agent?.stop(3000);
  agent = null;
  await nr.close();
});

async function until(what: string, ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('Agent sink wiring (memory sink + New Relic stand-in answering 503)', () => {
  test('samples are exactly the registry, health is exposed, a dead sink never slows the ticks, stop flushes', async () => {
    nr = await startCaptureServer({ respond: () => ({ status: 503, body: '{"error":"down"}' }) });
    const yaml = `
agent: { cluster: wedding-prod, provider: aks, region: westeurope, listen: { port: 0 }, logLevel: silent }
sources: { sim: { type: simulator } }
forecast: { backfillHours: 0 }
targets:
  - { id: checkout, kubernetes: { namespace: shop, name: checkout }, load: { source: sim, query: checkout }, capacityPerPod: 50, maxReplicas: 20, weddingCritical: true }
sinks:
  - { type: memory, name: mem }
  - { type: newrelic, name: nr, licenseKey: "\${NR_KEY}", url: "${nr.url}", intervalSeconds: 0.05, maxQueue: 500, maxBatch: 100 }
`;
    const config = parseConfig(yaml, 'agent-sinks.yaml', { NR_KEY: 'nr-secret' });
    agent = new Agent(
      { config, file: 'agent-sinks.yaml', baseDir: '.' },
      { logger: silentLogger, tickIntervalMs: 50, env: {}, sinkDeps: { backoff: { initialMs: 20, maxMs: 100, maxRetryAfterMs: 100 } } },
    );
    await agent.start();
    const mem = agent.sinks.find('mem') as MemorySink;
    await until('five ticks delivered to the memory sink', () => mem.store.batches.length >= 5);

    // Exactly what /metrics shows: every sample name is one the registry exposes.
    const exposition = await agent.metrics.registry.metrics();
    const names = new Set(mem.store.items.map((s) => s.name));
    for (const name of names) expect(exposition).toContain(`${name}`);
    expect(names).toContain(METRIC.ticksTotal);
    expect(names).toContain(METRIC.replicasMax);
    expect(mem.store.items.find((s) => s.name === METRIC.replicasMax)).toMatchObject({ labels: { target: 'checkout' }, value: 20, kind: 'gauge' });

    // The New Relic stand-in is down the whole time: ticks keep their pace, the memory sink keeps receiving.
    const ticksBefore = agent.state.info.ticks;
    const batchesBefore = mem.store.batches.length;
    await until('ten more ticks while New Relic fails', () => agent!.state.info.ticks >= ticksBefore + 10);
    expect(mem.store.batches.length).toBeGreaterThanOrEqual(batchesBefore + 8);
    expect(nr.requests.length).toBeGreaterThan(1);
    expect(nr.requests.every((r) => r.headers['api-key'] === 'nr-secret' && !r.body.includes('nr-secret'))).toBe(true);
    // Identity from the config: every New Relic series carries cluster, provider and region.
    expect((JSON.parse(nr.requests[0].body) as Array<{ common: unknown }>)[0].common).toEqual({
      attributes: { cluster: 'wedding-prod', provider: 'aks', region: 'westeurope', service: 'wedsync-agent' },
    });
    expect(mem.store.items.find((s) => s.name === METRIC.info)).toMatchObject({
      labels: { cluster: 'wedding-prod', provider: 'aks', region: 'westeurope' },
      value: 1,
    });

    const health = agent.sinkHealth();
    expect(health.map((h) => [h.name, h.type])).toEqual([
      ['mem', 'memory'],
      ['nr', 'newrelic'],
    ]);
    expect(health[0]).toMatchObject({ healthy: true, lastError: null });
    expect(health[1]).toMatchObject({ healthy: false, lastError: 'HTTP 503: {"error":"down"}' });
    expect(health[1].queueLength).toBeGreaterThan(0);
    // The sinks report on themselves in the same registry.
    expect(await agent.metrics.registry.metrics()).toMatch(new RegExp(`${METRIC.sinkFailedExportsTotal}\\{sink="nr",type="newrelic",reason="5xx"\\} [1-9]`));

    // Stop: flush within the deadline; what New Relic could not take is counted as dropped, not lost silently.
    const started = Date.now();
    await agent.stop(3000);
    expect(Date.now() - started).toBeLessThan(3500);
    const after = agent.sinkHealth()[1];
    expect(after.queueLength).toBe(0);
    expect(after.dropped).toBeGreaterThan(0);
    agent = null;
  });
});
