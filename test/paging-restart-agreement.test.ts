/**
 * After a restart, /metrics and PagerDuty agree on what is open. A real agent in-process (simulator
 * source, a scaler that cannot reach the cluster, the durable state in a file under state.directory)
 * pages a local HTTPS stand-in of the PagerDuty Events API (the real @pagerduty/pdjs, self-signed
 * certificate). It is stopped while the page is open and started again on the same state file: on its
 * first tick `wedsync_agent_page_condition` must show the condition PagerDuty holds open, although the
 * condition needs `paging.unreachableAfterSeconds` to hold, because the page monitor's memory of when the
 * fault started is restored at boot. (Before issue 22 only the PagerDuty tracker's memory was restored:
 * /metrics showed nothing for another 30 s while PagerDuty kept the incident open.)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from '../agent/src/app/agent';
import { parseConfig } from '../agent/src/app/config-load';
import type { TargetConfig } from '../agent/src/config/schema';
import type { Decision } from '../agent/src/plan/types';
import type { Scaler } from '../agent/src/contracts/scaler';
import type { PagerDutySink } from '../agent/src/sinks/pagerduty/pagerduty-sink';
import { silentLogger } from '../agent/src/util/logger';
import { selfSignedCert, startCaptureServer, type CaptureServer } from './sinks-capture';

jest.setTimeout(30_000);

const SATURDAY_4PM = Date.parse('2026-06-13T15:00:00Z');
const KEY = 'wedsync/restart-agreement/kubernetes-unreachable/cluster';

class UnreachableScaler implements Scaler {
  readonly kind = 'unreachable';
  async read(): Promise<{ error: string }> {
    return { error: 'connect ECONNREFUSED 10.96.0.1:443' };
  }
  async apply(_t: TargetConfig, d: Decision) {
    return { ok: true as const, changed: false, replicas: d.desiredReplicas };
  }
}

async function until(what: string, ok: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let dir: string;
let pd: CaptureServer;
let tlsAgent: HttpsAgent;
const agents: Agent[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) await a.stop(3000);
  tlsAgent?.destroy();
  await pd?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('after a restart /metrics shows the condition PagerDuty holds open, from the first tick (in-process agent; PagerDuty HTTPS stand-in, real pdjs)', async () => {
  const tls = selfSignedCert();
  pd = await startCaptureServer({ tls, respond: () => ({ status: 202, body: '{"status":"success"}' }) });
  tlsAgent = new HttpsAgent({ ca: tls.cert });
  dir = mkdtempSync(join(tmpdir(), 'wedsync-paging-restart-'));
  const file = join(dir, 'agent.yaml');
  writeFileSync(file, '');
  const config = parseConfig(
    `
agent: { cluster: restart-agreement, listen: { port: 0 }, logLevel: silent }
sources: { sim: { type: simulator } }
forecast: { backfillHours: 0 }
state: { directory: state }
paging: { unreachableAfterSeconds: 30 }
targets:
  - { id: checkout, kubernetes: { namespace: shop, name: checkout }, load: { source: sim, query: checkout }, capacityPerPod: 50, maxReplicas: 20 }
sinks:
  - { type: pagerduty, routingKey: "\${PD_ROUTING_KEY}", server: "${pd.hostPort}" }
`,
    file,
    { PD_ROUTING_KEY: 'routing-key-for-test' },
  );
  let now = SATURDAY_4PM;
  const start = async () => {
    const agent = new Agent(
      { config, file, baseDir: dir },
      { clock: () => now, scaler: new UnreachableScaler(), logger: silentLogger, tickIntervalMs: 20, env: {}, sinkDeps: { pagerDutyAgent: tlsAgent } },
    );
    agents.push(agent);
    await agent.start();
    return agent;
  };
  const events = () => pd.accepted().map((r) => JSON.parse(r.body) as { event_action: string; dedup_key: string });
  const conditionLine = (text: string) => text.split('\n').find((l) => l.startsWith('wedsync_agent_page_condition{kind="kubernetes-unreachable"'));
  const stateFile = join(dir, 'state', 'wedsync-agent-state.json');
  const storedOpen = () =>
    existsSync(stateFile)
      ? ((JSON.parse(readFileSync(stateFile, 'utf8')) as { pages?: Record<string, { open: Array<{ dedupKey: string }> }> }).pages?.pagerduty?.open ?? []).map(
          (p) => p.dedupKey,
        )
      : [];

  // First run: the cluster stays unreachable past 30 s of agent time, the page is delivered and stored.
  const first = await start();
  const ticks = first.state.info.ticks;
  await until('a first tick', () => first.state.info.ticks > ticks);
  now += 40_000;
  await until('the trigger', () => events().some((e) => e.event_action === 'trigger' && e.dedup_key === KEY));
  await until('the open page in the state file', () => storedOpen().includes(KEY));
  await first.stop(3000);
  agents.splice(agents.indexOf(first), 1);

  // Second run, one second later, still unreachable: PagerDuty holds the page open and hears nothing new.
  now += 1_000;
  const second = await start();
  const ticks2 = second.state.info.ticks;
  await until('the first tick after the restart', () => second.state.info.ticks > ticks2);
  const sink = second.sinks.find('pagerduty') as unknown as PagerDutySink;
  expect(sink.tracker.openConditions.map((c) => c.dedupKey)).toEqual([KEY]);
  expect(second.state.pageConditions.map((c) => c.dedupKey)).toEqual([KEY]);
  expect(conditionLine(await second.metrics.registry.metrics())).toMatch(/ 1$/);
  expect(events().map((e) => e.event_action)).toEqual(['trigger']);
});
