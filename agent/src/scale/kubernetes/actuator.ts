/**
 * The Kubernetes side of the agent, assembled from config: the scaler (behind the agent's mode), leader
 * election, Events and the audit hook. Overrides persist with the rest of the agent's state in its
 * ConfigMap (durable/, wired by agent.ts over this actuator's `api`); the override annotation older
 * versions wrote is only read, once (`importLegacyOverrides`). agent.ts builds one when
 * kubernetes.connection is not "none", passes `scaler` and `isLeader` to the loop, calls `afterTick`
 * after each tick, and `start()`/`stop()` around the agent's life. The client library is loaded by
 * `start()` (a real dynamic import); tests pass an `api` instead.
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Registry } from 'prom-client';
import type { AgentConfig } from '../../config/agent-config';
import type { AgentState, AuditEntry } from '../../state';
import type { Logger } from '../../util/logger';
import { systemMonoClock, type MonoClock } from '../../util/clock';
import { ModeScaler } from '../mode-scaler';
import { ShadowReport } from '../shadow-report';
import { createActuatorMetrics, type ActuatorMetrics } from './actuator-metrics';
import { createKubeApi, loadKubernetesClient, makeKubeConfig, type KubeConnection } from './client-adapter';
import { createAuditEventHook, KubeEventRecorder, NO_EVENTS, type EventRecorder } from './event-recorder';
import type { KubeApi } from '../../contracts/kube-api';
import { KubernetesScaler } from './kubernetes-scaler';
import { lazyKubeApi } from './lazy-kube-api';
import { LeaseLeaderElector } from './leader-election';
import { withConnectivity, withThrottle } from './connectivity';
import { FreezeGuard, freezeGuardOptions } from './freeze-guard';
import { readLegacyOverrides } from './legacy-override-annotation';

export interface ActuatorDeps {
  config: AgentConfig;
  /** Folder of the config file: a relative kubeconfig path resolves against it. */
  baseDir: string;
  state: AgentState;
  clock: () => number;
  logger: Logger;
  registry: Registry;
  /** A ready KubeApi (tests: in memory or against a stand-in); default: the real client, per config. */
  api?: KubeApi;
  env?: Record<string, string | undefined>;
  /** Monotonic time for waiting out a Retry-After (util/clock.ts); default: the process's. */
  mono?: MonoClock;
  /** How a call waits out a Retry-After (tests: one that advances a manual clock); default: a timer. */
  sleep?: (ms: number) => Promise<void>;
}

export class KubernetesActuator {
  readonly api: KubeApi;
  readonly scaler: ModeScaler;
  readonly elector: LeaseLeaderElector;
  readonly events: EventRecorder;
  readonly shadow = new ShadowReport();
  readonly metrics: ActuatorMetrics;
  readonly identity: string;
  /** For the API's Auditor (api/audit.ts AuditHook): an Event on the target per audited change (act mode). */
  readonly auditHook: (entry: AuditEntry) => Promise<void>;
  /** The deploy freeze's parameter and break-glass watch (kubernetes.deployFreeze), or null when off. */
  readonly freeze: FreezeGuard | null;
  private syncTimer: NodeJS.Timeout | null = null;
  private freezing: Promise<void> | null = null;

  constructor(private readonly deps: ActuatorDeps) {
    const { config, state, clock, logger } = deps;
    const k = config.kubernetes;
    const env = deps.env ?? process.env;
    const mode = config.agent.mode;
    this.identity = k.identity ?? env.POD_NAME ?? `${hostname()}_${process.pid}`;
    this.metrics = createActuatorMetrics(deps.registry, state, this.shadow);
    // After a 429 nothing is sent until its Retry-After has passed (connectivity.ts); every call's outcome says
    // whether the API server answers (/readyz: connected, unreachable or throttled).
    const throttled = withThrottle(deps.api ?? lazyKubeApi(() => connect(connection(config, deps.baseDir))), {
      clock: deps.mono ?? systemMonoClock(),
      sleep: deps.sleep,
      onThrottled: () => this.metrics.throttledResponses.inc(),
      onWaited: (ms) => this.metrics.throttleWaitSeconds.inc(ms / 1000),
    });
    this.api = withConnectivity(throttled.api, clock, (s) => (state.info.kubernetes = s));
    // dry-run and shadow change nothing in the cluster but the agent's own objects (the Lease and its state
    // ConfigMap): no patches, no Events.
    this.events = mode === 'act' ? new KubeEventRecorder(this.api, clock, logger, () => this.metrics.eventFailures.inc()) : NO_EVENTS;
    this.scaler = new ModeScaler(new KubernetesScaler(this.api, this.events, clock), mode, (w) => {
      this.metrics.heldBack.inc({ target: w.targetId, direction: w.to > w.from ? 'up' : 'down' });
      logger.info({ target: w.targetId, from: w.from, to: w.to, reasons: w.reasons, mode }, 'would scale (not acting in this mode)');
    });
    state.info.leader = false;
    this.elector = new LeaseLeaderElector(this.api, {
      namespace: k.leaseNamespace,
      name: k.leaseName,
      identity: this.identity,
      leaseDurationSeconds: k.leaseDurationSeconds,
      renewDeadlineSeconds: k.renewDeadlineSeconds,
      retryPeriodSeconds: k.retryPeriodSeconds,
      clock,
      logger,
      onChange: (leader) => {
        state.info.leader = leader;
        this.metrics.leaderTransitions.inc();
      },
    });
    this.auditHook = createAuditEventHook(this.events, config.targets);
    const freeze = freezeGuardOptions(config);
    // In every mode: the freeze gates deploys, not scaling, and break glass must be seen (and its Event written).
    this.freeze = freeze
      ? new FreezeGuard(this.api, state, {
          ...freeze,
          isLeader: () => this.elector.isLeader(),
          clock,
          logger,
          events: new KubeEventRecorder(this.api, clock, logger, () => this.metrics.eventFailures.inc()),
          registry: deps.registry,
        })
      : null;
  }

  /** Only the leader acts; the loop asks before every change. */
  isLeader = (): boolean => this.elector.isLeader();

  /** Shadow mode: compare this tick's decisions with what the cluster ran. */
  afterTick(state: AgentState): void {
    if (this.scaler.mode === 'shadow') this.shadow.observe(state);
  }

  /** Connects (fails loudly if the client cannot be configured) and runs a first election round. */
  async start(): Promise<void> {
    if ('ready' in this.api) await (this.api as { ready(): Promise<unknown> }).ready();
    await this.elector.tryAcquireOrRenew();
    await this.syncFreeze();
    this.elector.start();
    this.syncTimer = setInterval(() => void this.syncFreeze(), this.deps.config.agent.tickSeconds * 1000);
    this.syncTimer.unref();
    this.deps.logger.info({ identity: this.identity, leader: this.elector.isLeader(), mode: this.scaler.mode }, 'kubernetes actuator started');
  }

  /** Hands the Lease over. Idempotent. */
  async stop(): Promise<void> {
    if (this.syncTimer) clearInterval(this.syncTimer);
    this.syncTimer = null;
    await this.freezing;
    // Before the Lease is handed over: this replica still leads, and empties the freeze (fail open).
    await this.freeze?.release();
    await this.elector.stop();
  }

  /** One freeze round at a time (parameter heartbeat, break-glass watch); never rejects. */
  syncFreeze(): Promise<void> {
    if (!this.freeze) return Promise.resolve();
    this.freezing ??= this.freeze.sync().finally(() => {
      this.freezing = null;
    });
    return this.freezing;
  }

  /**
   * Overrides older versions kept in an annotation on each target (kubernetes.overridesAnnotation) into
   * state.overrides. Read only; the durable state runs this once, when it has nothing stored yet.
   */
  async importLegacyOverrides(): Promise<void> {
    const { config, state, clock, logger } = this.deps;
    const found = await readLegacyOverrides(this.api, config.targets, clock(), {
      logger,
      annotation: config.kubernetes.overridesAnnotation,
      onFailure: () => this.metrics.overrideSyncFailures.inc(),
    });
    state.importOverrides(found);
    if (found.length)
      logger.info({ overrides: found.length, annotation: config.kubernetes.overridesAnnotation }, 'imported overrides from the legacy annotation');
  }
}

function connection(config: AgentConfig, baseDir: string): KubeConnection {
  const k = config.kubernetes;
  if (k.connection === 'kubeconfig') return { connection: 'kubeconfig', kubeconfig: resolve(baseDir, k.kubeconfig!), context: k.context };
  return { connection: 'in-cluster' };
}

async function connect(conn: KubeConnection): Promise<KubeApi> {
  try {
    const k8s = await loadKubernetesClient();
    return createKubeApi(k8s, makeKubeConfig(k8s, conn));
  } catch (err) {
    throw new Error(`cannot connect to Kubernetes (kubernetes.connection "${conn.connection}"): ${(err as Error).message}`);
  }
}
