/**
 * A calendar update that drops most weddings, held across replicas and restarts (issue 12, defect 3):
 * - two shadow replicas of the whole agent against the Kubernetes API stand-in (test/support/
 *   kube-api-standin.ts; the real @kubernetes/client-node), sharing the agent's state ConfigMap, both hold
 *   an emptied calendar; an admin confirms on one; both apply it (the other at its next durable round);
 * - an agent with a state file and no cluster: full calendar, stop, calendar emptied, start → held.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { Agent } from '../agent/src/app/agent';
import { parseConfig } from '../agent/src/app/config-load';
import { configSchema } from '../agent/src/app/config-schema';
import { STATE_DATA_KEY } from '../agent/src/durable/configmap-backend';
import { createKubeApi, makeKubeConfig, type KubernetesClientModule } from '../agent/src/scale/kubernetes/client-adapter';
import { silentLogger } from '../agent/src/util/logger';
import type { StatusDto } from '../agent/src/api/contract';
import { KubeApiStandIn } from './support/kube-api-standin';
import { deployment, DEPLOY_PATH } from './support/kube-objects';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the ESM-only client, through Jest's CommonJS transform (RECIPES.md)
const k8s: KubernetesClientModule = require('@kubernetes/client-node');
const DAY = 86_400_000;
const ADMIN_TOKEN = 'admin-token-for-the-calendar-hold-test';
const STATE_PATH = '/api/v1/namespaces/wedsync/configmaps/wedsync-agent-state';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const api = (port: number) => request(`http://127.0.0.1:${port}`);
const wedding = (id: string, startMs: number) => ({
  id,
  title: id,
  start: new Date(startMs).toISOString(),
  timezone: 'UTC',
  days: 1,
  guests: 120,
  tradition: 'british',
  vendors: 2,
});
const fullCalendar = (nowMs: number) => JSON.stringify({ weddings: [1, 8, 15, 22].map((d) => wedding(`w${d}`, nowMs + d * DAY)) });
const EMPTY = '{"weddings":[]}';
const calendarOf = async (port: number) => ((await api(port).get('/api/v1/status').set(auth).expect(200)).body as StatusDto).calendar[0];

describe('calendar hold across replicas and restarts', () => {
  let dir: string;
  const agents: Agent[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wedsync-cal-hold-'));
  });
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  describe('two shadow replicas against the Kubernetes API stand-in (real client library)', () => {
    let standIn: KubeApiStandIn;
    const T0 = Date.UTC(2026, 5, 13, 15);
    beforeEach(async () => {
      standIn = new KubeApiStandIn();
      await standIn.start();
      standIn.put(DEPLOY_PATH, deployment(3));
    });
    afterEach(async () => {
      await Promise.all(agents.splice(0).map((a) => a.stop()));
      await standIn.stop();
    });

    const newAgent = (identity: string) => {
      const config = configSchema.parse({
        agent: { mode: 'shadow', listen: { host: '127.0.0.1', port: 0 }, logLevel: 'silent' },
        sources: { sim: { type: 'simulator', baseLoad: 100, noise: 0 } },
        kubernetes: { connection: 'in-cluster' },
        forecast: { backfillHours: 0 },
        calendar: { sources: [{ format: 'json', location: join(dir, 'weddings.json') }] },
        targets: [
          { id: 'shop-api', kubernetes: { namespace: 'shop', name: 'shop-api' }, load: { source: 'sim', query: 'shop' }, capacityPerPod: 50, maxReplicas: 40 },
        ],
      });
      const kubeApi = createKubeApi(k8s, makeKubeConfig(k8s, { connection: 'options', options: standIn.kubeConfigOptions() }));
      const agent = new Agent(
        { config, file: join(dir, 'agent.yaml'), baseDir: dir },
        { clock: () => T0, logger: silentLogger, kubeApi, env: { POD_NAME: identity, WEDSYNC_API_TOKENS: `admin:${ADMIN_TOKEN}` } },
      );
      agents.push(agent);
      return agent;
    };

    test('stand-in: both replicas hold an emptied calendar; an admin confirms on one; both apply it', async () => {
      writeFileSync(join(dir, 'weddings.json'), fullCalendar(T0));
      const a = newAgent('calendar-a');
      const portA = (await a.start()).port;
      const b = newAgent('calendar-b');
      const portB = (await b.start()).port;
      expect((await calendarOf(portA)).weddings).toBe(4);
      expect((await calendarOf(portB)).weddings).toBe(4);

      writeFileSync(join(dir, 'weddings.json'), EMPTY);
      await a.calendar.refresh(T0);
      await b.calendar.refresh(T0);
      const heldA = (await calendarOf(portA)).held!;
      const heldB = (await calendarOf(portB)).held!;
      expect(heldA).toMatchObject({ upcomingBefore: 4, upcomingAfter: 0 });
      expect(heldB.fingerprint).toBe(heldA.fingerprint);
      expect([a.state.calendar.days.length, b.state.calendar.days.length]).toEqual([4, 4]);

      const source = join(dir, 'weddings.json');
      await api(portA)
        .post('/api/v1/calendar/confirm')
        .set(auth)
        .send({ source, fingerprint: heldA.fingerprint, reason: 'the planner cancelled the season' })
        .expect(200);
      expect(a.state.calendar.days).toHaveLength(0);
      // B applies it at its next durable round, without being asked.
      await a.durable!.sync();
      await b.durable!.sync();
      expect(b.state.calendar.days).toHaveLength(0);
      expect(await calendarOf(portB)).toMatchObject({ weddings: 0, held: null });
      expect((await api(portB).get('/metrics')).text).toMatch(/^wedsync_agent_calendar_update_held\{source=".*weddings\.json"\} 0$/m);
      // One confirmation, one audit entry, seen through either replica.
      const trail = (await api(portB).get('/api/v1/audit').set(auth).expect(200)).body as { entries: Array<{ action: string; actor: string; role: string }> };
      expect(trail.entries.filter((e) => e.action === 'calendar.confirm')).toEqual([expect.objectContaining({ actor: 'env-admin-1', role: 'admin' })]);
      const stored = JSON.parse(standIn.get(STATE_PATH).data[STATE_DATA_KEY]) as {
        calendars: Record<string, { fingerprint: string; upcoming: number }>;
        calendarConfirmations: unknown[];
      };
      expect(stored.calendars[source]).toMatchObject({ fingerprint: heldA.fingerprint, upcoming: 0 });
      expect(stored.calendarConfirmations).toEqual([
        expect.objectContaining({ source, fingerprint: heldA.fingerprint, actor: 'env-admin-1', reason: 'the planner cancelled the season' }),
      ]);
      // Only the agent's own state was written: no scaling in shadow mode.
      expect(standIn.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
    });
  });

  test('state file: full calendar, stop, calendar emptied, start → the emptied calendar is held and alerted on', async () => {
    const agentWith = () => {
      const yaml = [
        'agent: { mode: shadow, tickSeconds: 1, listen: { host: 127.0.0.1, port: 0 }, logLevel: silent }',
        'sources: { sim: { type: simulator } }',
        'forecast: { backfillHours: 0 }',
        'state: { directory: state }',
        'calendar: { sources: [{ format: json, location: weddings.json }] }',
        'targets:',
        '  - { id: web, kubernetes: { namespace: ns, name: web }, load: { source: sim, query: web }, capacityPerPod: 10, maxReplicas: 5 }',
      ].join('\n');
      const file = join(dir, 'agent.yaml');
      const agent = new Agent(
        { config: parseConfig(yaml, file, {}), file, baseDir: dir },
        { logger: silentLogger, env: { WEDSYNC_API_TOKENS: `admin:${ADMIN_TOKEN}` } },
      );
      agents.push(agent);
      return agent;
    };
    writeFileSync(join(dir, 'weddings.json'), fullCalendar(Date.now()));
    const first = agentWith();
    const port1 = (await first.start()).port;
    expect(await calendarOf(port1)).toMatchObject({ weddings: 4, held: null });
    await first.stop();

    writeFileSync(join(dir, 'weddings.json'), EMPTY);
    const second = agentWith();
    const port2 = (await second.start()).port;
    expect((await calendarOf(port2)).held).toMatchObject({ upcomingBefore: 4, upcomingAfter: 0, weddings: 0 });
    expect((await api(port2).get('/metrics')).text).toMatch(/^wedsync_agent_calendar_update_held\{source="weddings\.json"\} 1$/m);
  });
});
