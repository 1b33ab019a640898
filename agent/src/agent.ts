/**
 * Wiring: from a validated config to a running agent (state, loop, HTTP server). The only place that
 * knows every room; everything it builds can also be built alone in a test.
 */
import type { AddressInfo } from 'node:net';
import { loadConfigFile, type LoadedConfig } from './config/load';
import { configWarnings } from './config/schema';
import { CalendarStore } from './sources/calendar-store';
import { CalendarRefresher } from './sources/calendar-refresher';
import { backfillHistory } from './backfill';
import { indexCalendar } from './calendar/rules';
import { createDetector } from './detect/combined-detector';
import type { DetectorFactory } from './detect/detector';
import type { ForecasterFactory } from './forecast/forecaster';
import { createForecaster } from './forecast/seasonal-calendar-forecaster';
import { ControlLoop } from './loop';
import { createAgentMetrics, type AgentMetrics } from './metrics/agent-metrics';
import { collectProcessMetrics } from './metrics/process-metrics';
import { createApp } from './api/app';
import { listen, type BoundServer } from './api/listen';
import { createApiRouter } from './api/router';
import { parseEnvTokens, TOKENS_ENV, type TokenEntry } from './api/auth';
import type { AuditHook } from './api/audit';
import { InMemoryScaler } from './scale/in-memory-scaler';
import { KubernetesActuator } from './scale/kubernetes/actuator';
import type { KubeApi } from './scale/kubernetes/kube-api';
import type { Scaler } from './scale/scaler';
import { SinkFanout } from './sinks/fanout';
import { buildSinks } from './sinks/registry';
import { collectSamples } from './sinks/samples';
import type { SinkHealth } from './sinks/sink';
import type { SinkDeps } from './sinks/sink-deps';
import { createSinkMetrics } from './sinks/sink-metrics';
import { buildSources } from './sources/registry';
import type { LoadSource } from './sources/source';
import { AgentState } from './state';
import { systemClock, type Clock } from './util/clock';
import { createLogger, type Logger } from './util/logger';
import { VERSION } from './version';
import { PriceBook } from './cost/price-book';
import { OpenCostRefresher } from './cost/opencost-refresher';
import type { CapacityPlanning } from './api/capacity-routes';
import { buildCapacityPlan } from './capacity/build-plan';
import type { CapacityPlan } from './capacity/capacity-plan';

export interface AgentOptions {
  clock?: Clock;
  logger?: Logger;
  /** Overrides the scaler the config implies (tests, demo). */
  scaler?: Scaler;
  newDetector?: DetectorFactory;
  newForecaster?: ForecasterFactory;
  /** Real milliseconds between ticks; defaults to agent.tickSeconds (the demo ticks faster than its clock). */
  tickIntervalMs?: number;
  /** Where WEDSYNC_API_TOKENS (role:token,…) is read from; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Called for every change made through the operator API (default: a Kubernetes Event, when connected). */
  onAudit?: AuditHook;
  /** The Kubernetes API to act through (tests: in memory or a stand-in); default: the client per kubernetes.connection. */
  kubeApi?: KubeApi;
  /** Test hooks for the sinks: a fake backoff clock, the console sink's stream, a TLS agent for PagerDuty. */
  sinkDeps?: Partial<Pick<SinkDeps, 'timers' | 'stdout' | 'pagerDutyAgent' | 'backoff' | 'random'>>;
}

/** How long start() waits for the first calendar refresh before starting without it. */
const CALENDAR_START_WAIT_MS = 3000;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export class Agent {
  readonly state: AgentState;
  readonly metrics: AgentMetrics;
  readonly loop: ControlLoop;
  readonly calendar: CalendarRefresher;
  /** Replica-hour prices: OpenCost when configured and answering, else the price table, else unknown. */
  readonly prices: PriceBook;
  readonly opencost: OpenCostRefresher | null;
  readonly sources: Record<string, LoadSource>;
  /** Every configured sink, fed after each tick; see sinks/fanout.ts. */
  readonly sinks: SinkFanout;
  readonly logger: Logger;
  /** Scaler, leader election, override persistence and Events, when kubernetes.connection is not "none". */
  readonly actuator: KubernetesActuator | null;
  private bound: BoundServer | null = null;
  private readonly clock: Clock;
  /** Accepted API tokens: config digests plus WEDSYNC_API_TOKENS (hashed here; plain tokens are not kept). */
  private readonly apiTokens: TokenEntry[];
  private readonly envApiTokens: TokenEntry[];
  private readonly onAudit?: AuditHook;
  private stopping: Promise<void> | null = null;

  constructor(readonly loaded: LoadedConfig, opts: AgentOptions = {}) {
    const { config } = loaded;
    const clock = opts.clock ?? systemClock;
    this.clock = clock;
    // A malformed WEDSYNC_API_TOKENS fails start-up (naming the entry, never the token), like a bad config.
    this.envApiTokens = parseEnvTokens((opts.env ?? process.env)[TOKENS_ENV]);
    this.apiTokens = [...config.api.tokens, ...this.envApiTokens];
    this.logger = opts.logger ?? createLogger(config.agent.logLevel);
    this.state = new AgentState(
      { version: VERSION, cluster: config.agent.cluster, mode: config.agent.mode, leader: true, startedAtMs: clock(), lastTickMs: null, lastTickDurationMs: null, ticks: 0, ready: false },
      config.targets,
      indexCalendar({ weddings: [] }, config.wedding),
    );
    this.metrics = createAgentMetrics(this.state);
    collectProcessMetrics(this.metrics.registry);
    this.sources = buildSources(config.sources, { calendar: () => this.state.calendar });
    const registry = this.metrics.registry;
    const kube = !opts.scaler && (config.kubernetes.connection !== 'none' || opts.kubeApi !== undefined);
    this.actuator = kube
      ? new KubernetesActuator({ config, baseDir: loaded.baseDir, state: this.state, clock, logger: this.logger, registry, api: opts.kubeApi, env: opts.env })
      : null;
    this.onAudit = opts.onAudit ?? this.actuator?.auditHook;
    this.sinks = new SinkFanout({
      entries: buildSinks(config.sinks, { cluster: config.agent.cluster, metrics: createSinkMetrics(registry), logger: this.logger, ...opts.sinkDeps }),
      collect: (atMs) => collectSamples(registry, atMs),
      clock,
      logger: this.logger,
    });
    this.calendar = new CalendarRefresher({
      config,
      state: this.state,
      provider: new CalendarStore(config.calendar.sources, loaded.baseDir, clock, fetch, 10_000, config.calendar.maxBytes),
      metrics: this.metrics,
      logger: this.logger,
      clock,
    });
    this.prices = new PriceBook(config.pricing, clock);
    const oc = config.pricing?.opencost;
    const ocSource = oc ? config.sources[oc.source] : undefined;
    this.opencost =
      oc && ocSource?.type === 'prometheus'
        ? new OpenCostRefresher({ prometheus: ocSource, targets: config.targets, book: this.prices, refreshSeconds: oc.refreshSeconds, clock, logger: this.logger })
        : null;
    const loopConfig = opts.tickIntervalMs ? { ...config, agent: { ...config.agent, tickSeconds: opts.tickIntervalMs / 1000 } } : config;
    this.loop = new ControlLoop({
      config: loopConfig,
      state: this.state,
      sources: this.sources,
      scaler: opts.scaler ?? this.actuator?.scaler ?? new InMemoryScaler(clock),
      isLeader: this.actuator?.isLeader,
      clock,
      metrics: this.metrics,
      logger: this.logger,
      newDetector: opts.newDetector ?? (() => createDetector()),
      newForecaster: opts.newForecaster ?? (() => createForecaster()),
      prices: this.prices,
      afterTick: (s) => {
        this.actuator?.afterTick(s);
        this.sinks.afterTick(s);
      },
    });
  }

  /** The capacity plan's inputs: each target's own forecaster, the price book, the policy. */
  capacityPlanning(): CapacityPlanning {
    return {
      config: this.loaded.config,
      prices: this.prices,
      project: (t, now, start, stepMs, n) => this.loop.project(t.config.id, now, start, stepMs, n) ?? { values: new Array<null>(n).fill(null), method: 'none' },
    };
  }

  /** The capacity plan for [from, to) as the API answers it. */
  capacityPlan(fromMs: number, toMs: number): CapacityPlan & { missingPoints: Record<string, number> } {
    return buildCapacityPlan({ state: this.state, ...this.capacityPlanning() }, fromMs, toMs, this.clock());
  }

  /**
   * What `capacity-plan --config` needs without serving or ticking: the calendar, OpenCost's prices and
   * the history the forecasters learn from (the same backfill a start does).
   */
  async prepareOffline(): Promise<void> {
    await this.calendar.refresh(this.clock());
    await this.opencost?.refresh();
    await backfillHistory({ config: this.loaded.config, sources: this.sources, clock: this.clock, logger: this.logger, seed: (id, points) => this.loop.seed(id, points) });
  }

  /** Health of every sink, for GET /status (StatusDto.sinks). */
  sinkHealth(): SinkHealth[] {
    return this.sinks.health();
  }

  /**
   * Binds the HTTP server, then starts the rest; resolves with the bound address. A port that cannot be
   * bound rejects with a ListenError (naming host:port) before leader election or any tick.
   */
  async start(): Promise<AddressInfo> {
    const { host, port } = this.loaded.config.agent.listen;
    this.bound = await listen(host, port);
    try {
      await this.startBehind(this.bound);
    } catch (err) {
      await this.bound.close();
      throw err;
    }
    const addr = this.bound.address;
    this.logger.info({ host: addr.address, port: addr.port, mode: this.state.info.mode, targets: this.state.targets.size }, 'agent started');
    for (const w of configWarnings(this.loaded.config)) this.logger.warn({ key: w.path }, `config: ${w.path} ${w.message}`);
    return addr;
  }

  private async startBehind(bound: BoundServer): Promise<void> {
    const api = createApiRouter({
      state: this.state,
      config: this.loaded.config.api,
      tokens: this.apiTokens,
      envTokens: this.envApiTokens,
      // POST /reload (admin) re-reads the file this agent started from; the API applies its live keys.
      reloadConfig: () => loadConfigFile(this.loaded.file).config,
      agentConfig: this.loaded.config,
      registry: this.metrics.registry,
      sources: this.sources,
      onAudit: this.onAudit,
      sinks: () => this.sinkHealth(),
      clock: this.clock,
      logger: this.logger,
      capacityPlanning: this.capacityPlanning(),
    });
    const app = createApp({ state: this.state, registry: this.metrics.registry, api, stalled: () => this.loop.stallReason() });
    // Connect, take part in the election and load persisted overrides before serving (503 until then) or ticking.
    await this.actuator?.start();
    bound.serve(app);
    // Backfilled history is best judged with its weddings in view, but a hanging calendar URL must not
    // hold the start: wait a few seconds for the first refresh, then go on (it lands when it lands).
    await Promise.race([this.calendar.refresh(this.clock()), delay(CALENDAR_START_WAIT_MS)]);
    // The first OpenCost answer, if it comes quickly, prices the first tick; else the table does until it lands.
    if (this.opencost) await Promise.race([this.opencost.refresh(), delay(CALENDAR_START_WAIT_MS)]);
    await backfillHistory({ config: this.loaded.config, sources: this.sources, clock: this.clock, logger: this.logger, seed: (id, points) => this.loop.seed(id, points) });
    this.loop.start();
    this.calendar.start();
    this.opencost?.start();
  }

  /** Stops ticking, finishes the tick in flight, closes the server. Idempotent; bounded by `deadlineMs`. */
  stop(deadlineMs = 9000): Promise<void> {
    this.stopping ??= (async () => {
      const started = Date.now();
      this.calendar.stop();
      this.opencost?.stop();
      await this.loop.stop(deadlineMs - 1000);
      // Persist override edits and hand the Lease to the standby now rather than after it expires.
      await this.actuator?.stop();
      // Sinks flush what the last tick queued, within what is left of the deadline (at least 1 s).
      await this.sinks.shutdown(Math.max(1000, deadlineMs - (Date.now() - started) - 500));
      await Promise.all(Object.values(this.sources).map((s) => s.close?.() ?? Promise.resolve()));
      await this.bound?.close();
      this.logger.info('agent stopped');
    })();
    return this.stopping;
  }
}
