/**
 * The API server as the agent's own calls see it: whether it answers, and whether it throttles. Both are
 * wrappers around every KubeApi call (`aroundEveryCall`), composed by the actuator: throttle inside,
 * connectivity outside.
 *
 * Whether it answers: every KubeApi call's outcome
 * updates `state.info.kubernetes`, which /readyz and GET /status show. A call the server answered counts
 * as connected, a refusal included (403, 404, 409: the server is there and said no); no answer at all
 * (refused connection, timeout), a 5xx (etcd gone behind it) or a 408 is "unreachable"; a 429 is
 * "throttled" (API Priority and Fairness, --max-requests-inflight). The state changes on the first call
 * that differs, and keeps the instant it began, so "unreachable since" is when the outage was first seen.
 */
import type { KubernetesStatus } from '../../state';
import { KubeApiError } from '../../contracts/kube-errors';
import type { KubeApi } from '../../contracts/kube-api';

export function classifyKubeOutcome(err: unknown): KubernetesStatus['state'] {
  if (err === undefined) return 'connected';
  if (!(err instanceof KubeApiError)) return 'unreachable';
  if (err.status === 429) return 'throttled';
  if (err.status >= 500 || err.status === 408) return 'unreachable';
  return 'connected';
}

/** `api` with each call's outcome reported to `publish` (only when the state changes). */
export function withConnectivity(api: KubeApi, clock: () => number, publish: (s: KubernetesStatus) => void): KubeApi {
  let current: KubernetesStatus | null = null;
  const observe = (err: unknown) => {
    const state = classifyKubeOutcome(err);
    const error = state === 'connected' ? null : err instanceof Error ? err.message : String(err);
    if (current?.state === state && (state === 'connected' || current.error === error)) return;
    current = { state, sinceMs: current?.state === state ? current.sinceMs : clock(), error };
    publish(current);
  };
  return aroundEveryCall(api, async (call) => {
    try {
      const out = await call();
      observe(undefined);
      return out;
    } catch (err) {
      observe(err);
      throw err;
    }
  });
}

/** `api` with each call (but `ready`) run through `around`. */
function aroundEveryCall(api: KubeApi, around: (call: () => Promise<unknown>) => Promise<unknown>): KubeApi {
  // A Proxy, so methods on a class's prototype (the in-memory API, test doubles) are wrapped too.
  return new Proxy(api, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'ready') return value;
      return (...args: unknown[]) => around(() => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
    },
  });
}

// ---- Throttling ----

/**
 * API server throttling respected. A 429 (API Priority and Fairness rejecting the agent's flow, or
 * --max-requests-inflight / --max-mutating-requests-inflight) means "not now": after one, no request goes
 * to that server until its Retry-After has passed, bounded (at least 1 s, at most 60 s; 1 s without the
 * header, as client-go does), plus up to 10 % jitter. Calls made meanwhile wait, then go; a 429 answered
 * while they wait pushes the instant on. The 429 itself reaches its caller as the error it is, like any
 * failed call: the loop then decides nothing for that target this tick (it never scales on what it could
 * not read, so never down), and the next tick tries again. Each 429 is counted, and so is the time calls
 * waited; /readyz says "throttled" (classifyKubeOutcome above).
 */
export const THROTTLE_MIN_MS = 1_000;
export const THROTTLE_MAX_MS = 60_000;

/**
 * How long to hold every request after a 429 that said `retryAfterSeconds` (undefined: no header): the
 * bounded Retry-After, plus up to 10 % (`jitter` in [0, 1)) so replicas throttled together do not all come
 * back at the same instant. Never less than Retry-After itself. Pure.
 */
export function throttleDelayMs(retryAfterSeconds: number | undefined, jitter = 0): number {
  const asked = retryAfterSeconds === undefined || !Number.isFinite(retryAfterSeconds) ? THROTTLE_MIN_MS : retryAfterSeconds * 1000;
  return Math.round(Math.min(THROTTLE_MAX_MS, Math.max(THROTTLE_MIN_MS, asked)) * (1 + 0.1 * Math.min(Math.max(jitter, 0), 1)));
}

export interface ThrottleOptions {
  /** Monotonic ms (util/clock.ts MonoClock): a wall-clock step must not shorten or stretch a wait. */
  clock: () => number;
  /** Waits `ms` (tests pass one that advances a manual clock). */
  sleep?: (ms: number) => Promise<void>;
  /** [0, 1): the jitter added to each hold (tests: a constant); default Math.random. */
  random?: () => number;
  /** A 429 was answered; requests are held for `holdMs`. */
  onThrottled?: (holdMs: number) => void;
  /** A call waited `ms` before it was sent. */
  onWaited?: (ms: number) => void;
}

export interface ThrottledKubeApi {
  api: KubeApi;
  /** No request is sent before this instant (clock ms); 0 when not held. */
  heldUntilMs(): number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `api` with every call held back while a 429's Retry-After runs. */
export function withThrottle(api: KubeApi, opts: ThrottleOptions): ThrottledKubeApi {
  const sleep = opts.sleep ?? realSleep;
  const random = opts.random ?? Math.random;
  let heldUntil = 0;
  const waitTurn = async () => {
    let until = heldUntil;
    let ms = until - opts.clock();
    if (ms <= 0) return;
    let waited = 0;
    // Sleep the time asked; a 429 answered to another call meanwhile moves the instant on: sleep the rest.
    // (Measured by how far the instant moved, not by the clock: a clock that stands still ends no wait early or never.)
    while (ms > 0) {
      await sleep(ms);
      waited += ms;
      ms = heldUntil - until;
      until = heldUntil;
    }
    opts.onWaited?.(waited);
  };
  const throttled = (err: unknown) => {
    if (!(err instanceof KubeApiError) || err.status !== 429) return;
    const hold = throttleDelayMs(err.retryAfterSeconds, random());
    heldUntil = Math.max(heldUntil, opts.clock() + hold);
    opts.onThrottled?.(hold);
  };
  const wrapped = aroundEveryCall(api, async (call) => {
    await waitTurn();
    try {
      return await call();
    } catch (err) {
      throttled(err);
      throw err;
    }
  });
  return { api: wrapped, heldUntilMs: () => heldUntil };
}

export { describeKubernetes } from '../../state';
