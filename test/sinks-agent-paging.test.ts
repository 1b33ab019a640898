/**
 * End to end through the real control loop: a wedding-critical target whose workload cannot be read
 * during a live Saturday wedding makes the agent page PagerDuty (kubernetes-unreachable, after
 * `paging.unreachableAfterSeconds`), /metrics shows the same condition, and recovery resolves the page.
 * Real agent (simulator source, a scaler that fails on demand, JSON calendar file), real @pagerduty/pdjs
 * against a local HTTPS stand-in of the Events API (self-signed certificate).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from '../agent/src/app/agent';
import { parseConfig } from '../agent/src/app/config-load';
import type { TargetConfig } from '../agent/src/config/schema';
import type { Decision } from '../agent/src/plan/types';
import type { Scaler } from '../agent/src/contracts/scaler';
import { silentLogger } from '../agent/src/util/logger';
import { quiet, selfSignedCert, startCaptureServer, type CaptureServer } from './sinks-capture';

jest.setTimeout(30_000);

/** Saturday 13 June 2026, 16:00 in London: the wedding in the calendar below is in its reception. */
const SATURDAY_4PM = Date.parse('2026-06-13T15:00:00Z');

class SwitchableScaler implements Scaler {
  readonly kind = 'switchable';
  broken = true;
  replicas = 4;
  async read(): Promise<{ replicas: number; readyReplicas: number } | { error: string }> {
    return this.broken ? { error: 'connect ECONNREFUSED 10.96.0.1:443' } : { replicas: this.replicas, readyReplicas: this.replicas };
  }
  async apply(_t: TargetConfig, d: Decision) {
    this.replicas = d.desiredReplicas;
    return { ok: true as const, changed: true, replicas: d.desiredReplicas };
  }
}

let dir: string;
let pd: CaptureServer;
let agent: Agent | null = null;
let tlsAgent: HttpsAgent;
afterEach(async () => {
  await agent?.stop(3000);
  tlsAgent?.destroy();
  await pd?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function until(what: string, ok: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('agent pages when a wedding-critical target cannot be scaled during a live wedding, and resolves on recovery (HTTPS stand-in, real pdjs)', async () => {
  const tls = selfSignedCert();
  pd = await startCaptureServer({ tls, respond: () => ({ status: 202, body: '{"status":"success"}' }) });
  tlsAgent = new HttpsAgent({ ca: tls.cert });
  dir = mkdtempSync(join(tmpdir(), 'wedsync-paging-'));
  writeFileSync(
    join(dir, 'weddings.json'),
    JSON.stringify({ weddings: [{ id: 'w1', title: 'Emma & James', start: '2026-06-13T14:00:00+01:00', timezone: 'Europe/London', guests: 120 }] }),
  );
  const yaml = `
agent: { cluster: wedding-prod, listen: { port: 0 }, logLevel: silent }
sources: { sim: { type: simulator } }
calendar: { sources: [{ format: json, location: weddings.json }] }
forecast: { backfillHours: 0 }
paging: { unreachableAfterSeconds: 0.2 }
targets:
  - { id: checkout, kubernetes: { namespace: shop, name: checkout }, load: { source: sim, query: checkout }, capacityPerPod: 50, maxReplicas: 20, weddingCritical: true }
sinks:
  - { type: pagerduty, routingKey: "\${PD_ROUTING_KEY}", server: "${pd.hostPort}", dashboardUrl: "https://grafana.example/d/wedsync" }
`;
  const config = parseConfig(yaml, join(dir, 'agent.yaml'), { PD_ROUTING_KEY: 'routing-key-for-test' });
  const scaler = new SwitchableScaler();
  const realStart = Date.now();
  agent = new Agent(
    { config, file: join(dir, 'agent.yaml'), baseDir: dir },
    { clock: () => SATURDAY_4PM + (Date.now() - realStart), scaler, logger: silentLogger, tickIntervalMs: 50, env: {}, sinkDeps: { pagerDutyAgent: tlsAgent } },
  );
  await agent.start();

  const events = () =>
    pd
      .accepted()
      .map((r) => JSON.parse(r.body) as { event_action: string; dedup_key: string; routing_key: string; payload?: { severity: string; summary: string } });
  await until('a trigger', () => events().length >= 1);
  const [trigger] = events();
  expect(trigger).toMatchObject({
    event_action: 'trigger',
    dedup_key: 'wedsync/wedding-prod/kubernetes-unreachable/cluster',
    routing_key: 'routing-key-for-test',
    payload: { severity: 'critical' },
  });
  expect(trigger.payload!.summary).toContain('Kubernetes unreachable');
  // /metrics exports the same condition the sink paged, with the delivered series beside it.
  await quiet(agent.sinks.find('pagerduty') as unknown as { settled(): Promise<void> });
  const metrics = await agent.metrics.registry.metrics();
  expect(metrics).toContain('wedsync_agent_page_condition{kind="kubernetes-unreachable",subject="cluster",severity="critical",wedding_day="true"} 1');
  expect(metrics).toContain('wedsync_agent_page_delivered{sink="pagerduty",kind="kubernetes-unreachable",subject="cluster"} 1');

  // Still broken for several more ticks: no repeat pages.
  const ticks = agent.state.info.ticks;
  await until('five more ticks', () => agent!.state.info.ticks >= ticks + 5);
  await quiet(agent.sinks.find('pagerduty') as unknown as { settled(): Promise<void> });
  expect(events()).toHaveLength(1);

  scaler.broken = false;
  await until('a resolve', () => events().length >= 2);
  expect(events()[1]).toEqual({ routing_key: 'routing-key-for-test', event_action: 'resolve', dedup_key: trigger.dedup_key });
  await quiet(agent.sinks.find('pagerduty') as unknown as { settled(): Promise<void> });
  // The stand-in records the resolve before its answer reaches the sink: wait for the sink to take it off the queue.
  await until('the queue to drain', () => agent!.sinkHealth()[0]?.queueLength === 0);
  expect(agent.sinkHealth()).toEqual([{ name: 'pagerduty', type: 'pagerduty', healthy: true, queueLength: 0, dropped: 0, lastError: null }]);
});
