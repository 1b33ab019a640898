/**
 * A real operator API on 127.0.0.1, port 0, over a hand-filled AgentState and a manual clock. No
 * Kubernetes and no loop: the API only reads and writes state, so that is all a test needs.
 */
import { CalendarStore } from '../../sources/calendar-store';
import type { CalendarConfirmer } from '../calendar-routes';
import { Registry } from 'prom-client';
import { type ApiConfig } from '../../config/schema';
import { type AgentConfig } from '../../config/agent-config';
import { configSchema } from '../../app/config-schema';
import { indexCalendar } from '../../calendar/rules';
import type { WeddingCalendar } from '../../calendar/model';
import { AgentState } from '../../state';
import { PushSource } from '../../sources/push-source';
import { ManualClock } from '../../util/clock';
import type { AuditEntry } from '../../state';
import { createApp } from '../app';
import { listen, SERVER_TIMEOUTS, type ServerTimeouts } from '../listen';
import { createApiRouter } from '../router';
import type { StreamHub } from '../stream-hub';
import { parseEnvTokens, sha256Hex } from '../auth';
import type { Role } from '../../config/schema';

/** Saturday 5 June 2027, 14:00 UTC: the London wedding below is live (window 10:00–20:00 UTC). */
export const NOW = Date.parse('2027-06-05T14:00:00Z');
export const HOUR = 3_600_000;

export const TOKENS: Record<Role, string> = {
  viewer: 'viewer-token-aaaaaaaaaaaa',
  coordinator: 'coordinator-token-bbbbbbbb',
  operator: 'operator-token-cccccccccc',
  admin: 'admin-token-dddddddddddddd',
};
/** A config-file token (sha256 digest only), to show both token kinds work. */
export const CONFIG_OPERATOR_TOKEN = 'config-operator-token-eeeeeeee';

export const CALENDAR: WeddingCalendar = {
  weddings: [
    {
      id: 'w-london',
      title: 'Ada & Ben',
      start: '2027-06-05T13:00:00+01:00',
      timezone: 'Europe/London',
      days: 1,
      guests: 150,
      tradition: 'british',
      vendors: 8,
    },
    {
      id: 'w-kolkata',
      title: 'Priya & Dev',
      start: '2027-06-10T18:00:00+05:30',
      timezone: 'Asia/Kolkata',
      days: 3,
      guests: 600,
      tradition: 'indian',
      vendors: 20,
    },
  ],
};

export function testConfig(api: Partial<ApiConfig> = {}, targetCount = 3): AgentConfig {
  const targets = Array.from({ length: targetCount }, (_, i) => ({
    id: i === 0 ? 'api' : i === 1 ? 'photo-upload' : `svc-${i}`,
    kubernetes: { namespace: 'wedsync', name: `svc-${i}` },
    load: { source: 'push', query: i === 0 ? 'api_rps' : `svc_${i}_rps{env="prod"}` },
    capacityPerPod: 50,
    minReplicas: 2,
    maxReplicas: 40,
    weddingCritical: i < 2,
    timezones: i === 1 ? ['Asia/Tokyo'] : [],
  }));
  return configSchema.parse({
    sources: { push: { type: 'push' }, sim: { type: 'simulator' } },
    api: { tokens: [{ name: 'ci-bot', role: 'operator', sha256: sha256Hex(CONFIG_OPERATOR_TOKEN) }], ...api },
    targets,
  });
}

/** Fills the state the way a few loop ticks would. */
export function seedState(state: AgentState, now: number): void {
  state.info.lastTickMs = now;
  state.info.lastTickDurationMs = 12;
  state.info.ticks = 3;
  state.info.ready = true;
  for (const t of state.targets.values()) {
    t.observed = { value: 180, atMs: now - 15_000 };
    t.stale = false;
    t.lastReadError = null;
    t.workload = { replicas: 5, readyReplicas: 5 };
    t.forecast = {
      method: 'test',
      coldStart: false,
      points: Array.from({ length: 48 }, (_, k) => ({ tMs: now + (k + 1) * HOUR, value: 200 + k, lower: 150 + k, upper: 250 + k })),
    };
    const decision = {
      targetId: t.config.id,
      atMs: now,
      currentReplicas: 5,
      desiredReplicas: 6,
      reasons: [{ rule: 'reactive', replicas: 6, detail: '180 rps at 70 % of 50/pod' }],
      protections: ['saturday' as const],
      deployFreeze: true,
      holding: false,
    };
    t.decision = decision;
    state.decisions.push({ ...decision, atMs: now - HOUR });
    state.decisions.push(decision);
    state.anomalies.push({ targetId: t.config.id, series: 'load', atMs: now - 30 * 60_000, value: 400, score: 0.9, kind: 'spike' });
  }
}

export interface TestApi {
  base: string;
  state: AgentState;
  clock: ManualClock;
  registry: Registry;
  push: PushSource;
  audits: AuditEntry[];
  config: AgentConfig;
  auth(role: Role): Record<string, string>;
  close(): Promise<void>;
}

export async function startTestApi(
  api: Partial<ApiConfig> = {},
  opts: { targetCount?: number; reloadConfig?: () => AgentConfig; timeouts?: Partial<ServerTimeouts>; calendar?: CalendarConfirmer; stream?: StreamHub } = {},
): Promise<TestApi> {
  const config = testConfig(api, opts.targetCount);
  const clock = new ManualClock(NOW);
  const state = new AgentState(
    {
      version: '0.0.0-test',
      cluster: 'test',
      mode: 'dry-run',
      leader: true,
      startedAtMs: NOW - HOUR,
      lastTickMs: null,
      lastTickDurationMs: null,
      ticks: 0,
      ready: false,
    },
    config.targets,
    indexCalendar(CALENDAR, config.wedding),
  );
  seedState(state, NOW);
  const push = new PushSource();
  const registry = new Registry();
  const audits: AuditEntry[] = [];
  const envTokens = parseEnvTokens(
    Object.entries(TOKENS)
      .map(([role, token]) => `${role}:${token}`)
      .join(','),
  );
  const router = createApiRouter({
    state,
    config: config.api,
    tokens: [...config.api.tokens, ...envTokens],
    envTokens,
    reloadConfig: opts.reloadConfig,
    agentConfig: config,
    registry,
    sources: { push, sim: { type: 'simulator', read: async () => ({ ok: false, error: 'unused', atMs: 0 }) } },
    onAudit: (e) => {
      audits.push(e);
    },
    // A real store with no sources unless the test brings its own: every confirmation names an unknown source.
    calendar: opts.calendar ?? { confirm: (location, fingerprint) => Promise.resolve(new CalendarStore([], '.', clock.now).confirm(location, fingerprint)) },
    clock: clock.now,
    stream: opts.stream,
  });
  const app = createApp({ state, registry, api: router });
  const bound = await listen('127.0.0.1', 0, { ...SERVER_TIMEOUTS, ...opts.timeouts });
  bound.serve(app);
  const { port } = bound.address;
  return {
    base: `http://127.0.0.1:${port}`,
    state,
    clock,
    registry,
    push,
    audits,
    config,
    auth: (role) => ({ Authorization: `Bearer ${TOKENS[role]}` }),
    close: () => bound.close(),
  };
}

/** What a rejected request must leave untouched. */
export function snapshot(t: TestApi): string {
  return JSON.stringify({ overrides: t.state.overrides, audit: t.state.audit.toArray(), series: t.push.seriesCount, hooks: t.audits.length });
}
