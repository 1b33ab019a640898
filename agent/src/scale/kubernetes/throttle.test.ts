/** Throttling (429) respected, against the in-memory Kubernetes API: Retry-After held, bounded, counted, shown. */
import { Registry } from 'prom-client';
import { configSchema } from '../../app/config-schema';
import { indexCalendar } from '../../calendar/rules';
import { AgentState, describeKubernetes } from '../../state';
import { ManualClock } from '../../util/clock';
import { silentLogger } from '../../util/logger';
import { KubernetesActuator } from './actuator';
import { throttleDelayMs, withThrottle } from './connectivity';
import { kubeError, parseRetryAfter } from '../../contracts/kube-errors';
import { InMemoryKubeApi } from '../../../test-support/in-memory-kube-api';

const API = { kind: 'Deployment' as const, namespace: 'weddings', name: 'api' };

/** A sleep that moves the manual clock instead of waiting, and remembers each wait. */
function fakeSleep(clock: ManualClock) {
  const slept: number[] = [];
  const sleep = (ms: number) => {
    slept.push(ms);
    clock.advance(ms);
    return Promise.resolve();
  };
  return { slept, sleep };
}

describe('throttleDelayMs: how long every request is held after a 429', () => {
  it.each([
    ['no Retry-After: 1 s, as client-go waits', undefined, 1_000],
    ['Retry-After 0: still 1 s (never a tight loop)', 0, 1_000],
    ['Retry-After 1 (what kube-apiserver sends)', 1, 1_000],
    ['Retry-After 7', 7, 7_000],
    ['Retry-After an hour: capped at 60 s', 3600, 60_000],
    ['unreadable', Number.NaN, 1_000],
  ])('%s', (_what, retryAfter, ms) => {
    expect(throttleDelayMs(retryAfter)).toBe(ms);
  });

  it('jitter adds at most 10 %, never takes away', () => {
    expect(throttleDelayMs(2, 0.5)).toBe(2_100);
    expect(throttleDelayMs(2, 0.999)).toBe(2_200);
    expect(throttleDelayMs(2, -1)).toBe(2_000);
    expect(throttleDelayMs(3600, 0.5)).toBe(63_000); // the cap, then the jitter
  });
});

describe('parseRetryAfter (RFC 9110: delta-seconds or an HTTP-date)', () => {
  const now = Date.parse('2026-12-07T04:00:00Z');
  it.each([
    ['1', 1],
    [' 30 ', 30],
    ['Mon, 07 Dec 2026 04:00:10 GMT', 10],
    ['Mon, 07 Dec 2026 03:59:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%j → %j', (header, seconds) => {
    expect(parseRetryAfter(header, now)).toBe(seconds);
  });
});

describe('withThrottle over the in-memory Kubernetes API', () => {
  it('after a 429 nothing is sent until Retry-After has passed; the 429 reaches its caller; later calls go at once', async () => {
    const clock = new ManualClock(0);
    const { slept, sleep } = fakeSleep(clock);
    const api = new InMemoryKubeApi();
    api.addWorkload(API, { specReplicas: 5 });
    api.throttleNext('readWorkload', 3);
    const throttled: number[] = [];
    const t = withThrottle(api, { clock: clock.mono, sleep, random: () => 0, onThrottled: (ms) => throttled.push(ms) });
    await expect(t.api.readWorkload(API)).rejects.toMatchObject({
      status: 429,
      retryAfterSeconds: 3,
      message: expect.stringMatching(/throttled: .*429 Too Many Requests .*Retry-After 3 s/),
    });
    expect(t.heldUntilMs()).toBe(3_000);
    const sentBefore = api.calls.length;
    const reading = t.api.listHpas('weddings');
    expect(api.calls.length).toBe(sentBefore); // held, not sent
    await reading;
    expect(slept).toEqual([3_000]);
    expect(clock.monoMs).toBe(3_000);
    expect(api.calls.length).toBe(sentBefore + 1);
    await t.api.readWorkload(API);
    expect(slept).toEqual([3_000]); // nothing held any more
    expect(throttled).toEqual([3_000]);
  });

  it('a 429 answered to a call in flight while others wait moves the instant on: they wait the rest too', async () => {
    const clock = new ManualClock(0);
    const pending: Array<{ ms: number; go: () => void }> = [];
    // A sleep the test ends by hand, so a second 429 can arrive while the first wait runs.
    const sleep = (ms: number) => new Promise<void>((resolve) => pending.push({ ms, go: () => (clock.advance(ms), resolve()) }));
    const flush = () => new Promise((r) => setImmediate(r));
    const api = new InMemoryKubeApi();
    api.addWorkload(API, { specReplicas: 5 });
    let answerLease: (err: Error) => void = () => undefined;
    api.readLease = () => new Promise((_resolve, reject) => (answerLease = reject));
    const t = withThrottle(api, { clock: clock.mono, sleep, random: () => 0 });

    const inFlight = t.api.readLease('wedsync', 'wedsync-agent').catch((err: Error) => err);
    await flush();
    api.throttleNext('readWorkload', 2);
    await expect(t.api.readWorkload(API)).rejects.toMatchObject({ status: 429 });
    const waiting = t.api.readWorkload(API);
    await flush();
    expect(pending.map((p) => p.ms)).toEqual([2_000]);
    clock.advance(1_000);
    answerLease(kubeError(429, { verb: 'get', resource: 'leases', group: 'coordination.k8s.io', namespace: 'wedsync', name: 'wedsync-agent' }, 'busy', 5));
    await inFlight;
    expect(t.heldUntilMs()).toBe(6_000);
    pending.shift()!.go();
    await flush();
    expect(pending.map((p) => p.ms)).toEqual([4_000]); // the rest: 6 s after the start, not 2 s
    expect(api.calls.filter((c) => c.method === 'readWorkload')).toHaveLength(1);
    pending.shift()!.go();
    await expect(waiting).resolves.toMatchObject({ specReplicas: 5 });
  });

  it('a Retry-After beyond the bound is held 60 s, not an hour', async () => {
    const clock = new ManualClock(0);
    const { slept, sleep } = fakeSleep(clock);
    const api = new InMemoryKubeApi();
    api.throttleNext('readLease', 3600);
    const t = withThrottle(api, { clock: clock.mono, sleep, random: () => 0 });
    await expect(t.api.readLease('wedsync', 'wedsync-agent')).rejects.toMatchObject({ status: 429 });
    await t.api.readLease('wedsync', 'wedsync-agent');
    expect(slept).toEqual([60_000]);
  });
});

describe('the actuator when the API server throttles it', () => {
  function setup() {
    const config = configSchema.parse({
      agent: { mode: 'act' },
      kubernetes: { connection: 'in-cluster' }, // never used: the in-memory API is passed in
      sources: { sim: { type: 'simulator' } },
      targets: [{ id: 'api', kubernetes: API, load: { source: 'sim', query: 'q' }, capacityPerPod: 50, maxReplicas: 40 }],
    });
    const state = new AgentState(
      { version: 't', cluster: 'c', mode: 'act', leader: true, startedAtMs: 0, lastTickMs: null, lastTickDurationMs: null, ticks: 0, ready: true },
      config.targets,
      indexCalendar({ weddings: [] }, config.wedding),
    );
    const clock = new ManualClock(Date.parse('2026-12-07T04:00:00Z'));
    const { slept, sleep } = fakeSleep(clock);
    const api = new InMemoryKubeApi();
    api.addWorkload(API, { specReplicas: 5 });
    const registry = new Registry();
    const actuator = new KubernetesActuator({ config, baseDir: '.', state, clock: clock.now, mono: clock.mono, sleep, logger: silentLogger, registry, api });
    return { config, state, api, registry, actuator, slept };
  }

  it('a 429 on the read: no decision input (so no scale-down), "throttled" with its Retry-After in /readyz, counted; the next read waits it out', async () => {
    const s = setup();
    const target = s.config.targets[0];
    s.api.throttleNext('listHpas', 4);
    const read = await s.actuator.scaler.read(target);
    expect(read).toEqual({ error: expect.stringMatching(/throttled: .*Retry-After 4 s/) });
    expect(s.api.calls.filter((c) => c.method === 'patchWorkloadReplicas')).toEqual([]);
    expect(s.state.info.kubernetes).toMatchObject({ state: 'throttled' });
    expect(describeKubernetes(s.state.info.kubernetes!)).toMatch(/^throttled since .*429 Too Many Requests .*Retry-After 4 s/);
    expect(await s.registry.getSingleMetricAsString('wedsync_agent_kubernetes_throttled_responses_total')).toMatch(/ 1$/m);

    expect(await s.actuator.scaler.read(target)).toMatchObject({ replicas: 5 });
    // Retry-After 4 s and its jitter (at most 10 %).
    expect(s.slept).toEqual([expect.any(Number)]);
    expect(s.slept[0]).toBeGreaterThanOrEqual(4_000);
    expect(s.slept[0]).toBeLessThanOrEqual(4_400);
    expect(s.state.info.kubernetes).toMatchObject({ state: 'connected' });
    const waited = Number(
      /^wedsync_agent_kubernetes_throttle_wait_seconds_total (\S+)$/m.exec(
        await s.registry.getSingleMetricAsString('wedsync_agent_kubernetes_throttle_wait_seconds_total'),
      )?.[1],
    );
    expect(waited).toBeCloseTo(s.slept[0] / 1000, 6);
  });

  it('a 429 on the scale write changes nothing and says so; the write after it waits Retry-After', async () => {
    const s = setup();
    const target = s.config.targets[0];
    await s.actuator.scaler.read(target);
    s.api.throttleNext('patchWorkloadReplicas', 2);
    const decision = { targetId: 'api', atMs: 0, currentReplicas: 5, desiredReplicas: 8, reasons: [], protections: [], deployFreeze: false, holding: false };
    expect(await s.actuator.scaler.apply(target, decision)).toEqual({ ok: false, error: expect.stringMatching(/throttled/) });
    expect(s.api.workloads.get('Deployment/weddings/api')!.specReplicas).toBe(5);
    expect(await s.actuator.scaler.apply(target, decision)).toMatchObject({ ok: true, changed: true, replicas: 8 });
    expect(s.slept).toHaveLength(1);
    expect(s.slept[0]).toBeGreaterThanOrEqual(2_000);
  });
});
