/**
 * Wiring: from a validated config to a running agent (state, loop, HTTP server). The only place that
 * knows every room; everything it builds can also be built alone in a test.
 */
import type { AddressInfo } from 'node:net';
import { loadConfigFile, type LoadedConfig } from './config-load';
import { configWarnings } from '../config/agent-config';
import { sizingWarning } from '../config/sizing';
import { getHeapStatistics } from 'node:v8';
import { CalendarStore } from '../sources/calendar-store';
import { CalendarRefresher } from '../sources/calendar-refresher';
import { backfillHistory } from '../engine/backfill';
import { indexCalendar } from '../calendar/rules';
import { createDetector } from '../detect/combined-detector';
import type { DetectorFactory } from '../detect/detector';
import type { ForecasterFactory } from '../forecast/forecaster';
import { createForecaster } from '../forecast/seasonal-calendar-forecaster';
import { ControlLoop } from '../engine/loop';
import { createAgentMetrics, type AgentMetrics } from '../metrics/agent-metrics';
import { collectProcessMetrics } from '../metrics/process-metrics';
import { listen, type BoundServer } from '../api/listen';
import { StreamHub } from '../api/stream-hub';
import { registerStreamMetrics } from '../api/stream-metrics';
import { parseEnvTokens, TOKENS_ENV, type TokenEntry } from '../api/auth';
import type { AuditHook } from '../api/audit';
import { InMemoryScaler } from '../scale/in-memory-scaler';
import { KubernetesActuator } from '../scale/kubernetes/actuator';
import type { KubeApi } from '../contracts/kube-api';
import type { Scaler } from '../contracts/scaler';
import { SinkFanout } from '../sinks/fanout';
import { buildSinks } from './sink-registry';
import { collectSamples } from '../sinks/samples';
import type { SinkHealth } from '../contracts/sink';
import type { SinkDeps } from '../sinks/sink-deps';
import { createSinkMetrics } from '../sinks/sink-metrics';
import { conditionOptions, PageMonitor } from '../paging/page-monitor';
import { buildSources } from './source-registry';
import { FleetSource } from '../fleet/fleet-source';
import { createFleetMetrics } from '../fleet/fleet-metrics';
import { resolveIdentity } from '../identity/identity';
import { detectFromNodes } from '../identity/node-detection';
import type { LoadSource } from '../contracts/load-source';
import { durableProblems } from '../durable/durable-problems';
import type { DurableStateStore } from '../durable/durable-state-store';
import { buildDurableState, overrideDurability, startDurableState, type DurableWiring } from './durable-wiring';
import { AgentState } from '../state';
import { systemClock, systemMonoClock, type Clock, type MonoClock } from '../util/clock';
import { createLogger, type Logger } from '../util/logger';
import { VERSION } from '../version';
import { PriceBook } from '../cost/price-book';
import { OpenCostRefresher } from '../cost/opencost-refresher';
import type { CapacityPlanning } from '../api/capacity-routes';
import { buildCapacityPlan } from '../capacity/build-plan';
import type { CapacityPlan } from '../capacity/capacity-plan';

export interface AgentOptions {
  /** Wall time. A clock given here is simulated time (demo, replay, tests) and, unless `monoClock` is also given, its own monotonic time. */
  clock?: Clock;
  /** Monotonic time for elapsed-time decisions; default: performance.now() with the system clock, else `clock`. */
  monoClock?: MonoClock;
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
  /** Real time for the fleet source (the global store's timestamps); default Date.now, even when `clock` is simulated. */
  wallClock?: () => number;
  /** Test hooks for the sinks: a fake backoff clock, the console sink's stream, a TLS agent for PagerDuty. */
  sinkDeps?: Partial<Pick<SinkDeps, 'timers' | 'stdout' | 'pagerDutyAgent' | 'backoff' | 'random'>>;
}

/** How long start() waits for the first calendar refresh before starting without it. */
const CALENDAR_START_WAIT_MS = 3000;
/** How long POST/DELETE /overrides waits for the store before answering 202 (not stored yet). */
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
  /** Overrides, audit trail and open pages kept across restarts (a ConfigMap, a file, or null: memory only). */
  readonly durable: DurableStateStore | null;
  /** Watches the peer clusters through the global store, when fleet.peers is set. */
  readonly fleet: FleetSource | null;
  private bound: BoundServer | null = null;
  private readonly clock: Clock;
  /** Accepted API tokens: config digests plus WEDSYNC_API_TOKENS (hashed here; plain tokens are not kept). */
  private readonly apiTokens: TokenEntry[];
  private readonly envApiTokens: TokenEntry[];
  private readonly onAudit?: AuditHook;
  private stopping: Promise<void> | null = null;
  private readonly durableWiring: DurableWiring;
  /** The page-worthy conditions, judged once per tick for /metrics (the PagerDuty sink judges the same definitions). */
  private readonly pages: PageMonitor;
  /** Subscribers of GET /api/v1/stream: fed after every tick, after paging has judged it. */
  readonly stream = new StreamHub();

  constructor(
    readonly loaded: LoadedConfig,
    opts: AgentOptions = {},
  ) {
    const { config } = loaded;
    const clock = opts.clock ?? systemClock;
    this.clock = clock;
    // A malformed WEDSYNC_API_TOKENS fails start-up (naming the entry, never the token), like a bad config.
    this.envApiTokens = parseEnvTokens((opts.env ?? process.env)[TOKENS_ENV]);
    this.apiTokens = [...config.api.tokens, ...this.envApiTokens];
    this.logger = opts.logger ?? createLogger(config.agent.logLevel);
    this.state = new AgentState(
      {
        version: VERSION,
        cluster: config.agent.cluster,
        mode: config.agent.mode,
        leader: true,
        startedAtMs: clock(),
        lastTickMs: null,
        lastTickDurationMs: null,
        ticks: 0,
        ready: false,
      },
      config.targets,
      indexCalendar({ weddings: [] }, config.wedding),
    );
    Object.assign(this.state.info, resolveIdentity(config.agent), { loadUnit: config.agent.loadUnit, currency: config.pricing?.currency ?? 'USD' });
    this.metrics = createAgentMetrics(this.state);
    collectProcessMetrics(this.metrics.registry);
    createFleetMetrics(this.state, this.metrics.registry);
    this.sources = buildSources(config.sources, { calendar: () => this.state.calendar });
    const registry = this.metrics.registry;
    const kube = !opts.scaler && (config.kubernetes.connection !== 'none' || opts.kubeApi !== undefined);
    this.actuator = kube
      ? new KubernetesActuator({ config, baseDir: loaded.baseDir, state: this.state, clock, logger: this.logger, registry, api: opts.kubeApi, env: opts.env })
      : null;
    this.durableWiring = { loaded, state: this.state, registry, logger: this.logger, clock, actuator: this.actuator, tickIntervalMs: opts.tickIntervalMs };
    this.durable = buildDurableState(this.durableWiring);
    const auditHook = opts.onAudit ?? this.actuator?.auditHook;
    // Every audited change (an override set or removed) is stored soon, not at the next round.
    this.onAudit = (entry) => {
      this.durable?.nudge();
      return auditHook?.(entry);
    };
    const durable = this.durable;
    const pageStore = durable ? (sink: string) => durable.pages(sink) : undefined;
    // One evaluation of the page-worthy conditions per tick, read by /metrics and the PagerDuty sinks alike.
    this.pages = new PageMonitor(conditionOptions(config.agent.cluster, config.paging));
    this.sinks = new SinkFanout({
      entries: buildSinks(config.sinks, {
        cluster: config.agent.cluster,
        identity: () => ({ cluster: this.state.info.cluster, provider: this.state.info.provider ?? 'other', region: this.state.info.region ?? 'unknown' }),
        metrics: createSinkMetrics(registry),
        logger: this.logger,
        paging: config.paging,
        pageStore,
        pageMonitor: this.pages,
        ...opts.sinkDeps,
      }),
      collect: (atMs) => collectSamples(registry, atMs),
      clock,
      logger: this.logger,
    });
    registerStreamMetrics(registry, this.stream);
    this.fleet = config.fleet.peers.length
      ? new FleetSource({
          config: config.fleet,
          cluster: config.agent.cluster,
          publish: (status) => (this.state.fleet = status),
          logger: this.logger,
          wallClock: opts.wallClock,
        })
      : null;
    this.calendar = new CalendarRefresher({
      config,
      state: this.state,
      // With durable state, the calendar last in force and confirmations are shared with the other replica and the next start.
      provider: new CalendarStore(
        config.calendar.sources,
        loaded.baseDir,
        clock,
        fetch,
        10_000,
        config.calendar.maxBytes,
        config.calendar.maxDropFraction,
        durable?.calendarMemory(),
        config.calendar.maxWeddings,
      ),
      metrics: this.metrics,
      logger: this.logger,
      clock,
    });
    this.prices = new PriceBook(config.pricing, clock);
    const oc = config.pricing?.opencost;
    const ocSource = oc ? config.sources[oc.source] : undefined;
    this.opencost =
      oc && ocSource?.type === 'prometheus'
        ? new OpenCostRefresher({
            prometheus: ocSource,
            targets: config.targets,
            book: this.prices,
            refreshSeconds: oc.refreshSeconds,
            clock,
            logger: this.logger,
          })
        : null;
    // A confirmation made through the other replica applies here at the next durable round.
    durable?.onRound(() => this.calendar.applyConfirmed());
    const loopConfig = opts.tickIntervalMs ? { ...config, agent: { ...config.agent, tickSeconds: opts.tickIntervalMs / 1000 } } : config;
    this.loop = new ControlLoop({
      config: loopConfig,
      state: this.state,
      sources: this.sources,
      scaler: opts.scaler ?? this.actuator?.scaler ?? new InMemoryScaler(clock),
      isLeader: this.actuator?.isLeader,
      clock,
      monoClock: opts.monoClock ?? (opts.clock ? opts.clock : systemMonoClock()),
      metrics: this.metrics,
      logger: this.logger,
      newDetector: opts.newDetector ?? (() => createDetector()),
      newForecaster: opts.newForecaster ?? (() => createForecaster()),
      prices: this.prices,
      afterTick: (s) => {
        this.pages.update(s, s.info.lastTickMs ?? clock());
        this.actuator?.afterTick(s);
        this.sinks.afterTick(s);
        this.stream.publish(s);
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
    await backfillHistory({
      config: this.loaded.config,
      sources: this.sources,
      clock: this.clock,
      logger: this.logger,
      seed: (id, points) => this.loop.seed(id, points),
    });
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
    const sizing = sizingWarning(this.loaded.config.targets.length, Math.floor(getHeapStatistics().heap_size_limit / 1048576));
    if (sizing) this.logger.warn({ key: sizing.path }, `config: ${sizing.path} ${sizing.message}`);
    return addr;
  }

  private async startBehind(bound: BoundServer): Promise<void> {
    // The HTTP API (Express and every route) is loaded only by an agent that serves: replay, backtest
    // and capacity-plan build an Agent without ever starting it, and loading it cost them ~0.2 s.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on start only (see above)
    const { createApiRouter } = require('../api/router') as typeof import('../api/router');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on start only (see above)
    const { createApp } = require('../api/app') as typeof import('../api/app');
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
      calendar: this.calendar,
      clock: this.clock,
      logger: this.logger,
      capacityPlanning: this.capacityPlanning(),
      durability: overrideDurability(this.durable),
      stream: this.stream,
    });
    const app = createApp({
      state: this.state,
      registry: this.metrics.registry,
      api,
      stalled: () => this.loop.stallReason(),
      degraded: () => (this.durable ? durableProblems(this.durable.status()) : []),
    });
    // Connect, take part in the election and load the durable state before serving (503 until then) or ticking.
    await this.actuator?.start();
    await this.detectIdentity();
    await startDurableState(this.durable, this.durableWiring);
    // PagerDuty sinks restore the pages PagerDuty holds open before the first evaluation.
    await this.sinks.start();
    bound.serve(app);
    // Backfilled history is best judged with its weddings in view, but a hanging calendar URL must not
    // hold the start: wait a few seconds for the first refresh, then go on (it lands when it lands).
    await Promise.race([this.calendar.refresh(this.clock()), delay(CALENDAR_START_WAIT_MS)]);
    // The first OpenCost answer, if it comes quickly, prices the first tick; else the table does until it lands.
    if (this.opencost) await Promise.race([this.opencost.refresh(), delay(CALENDAR_START_WAIT_MS)]);
    await backfillHistory({
      config: this.loaded.config,
      sources: this.sources,
      clock: this.clock,
      logger: this.logger,
      seed: (id, points) => this.loop.seed(id, points),
    });
    this.fleet?.start();
    this.loop.start();
    this.calendar.start();
    this.opencost?.start();
  }

  /** Provider and region the config leaves unset, from the nodes (optional permission; never fails start-up). */
  private async detectIdentity(): Promise<void> {
    const { provider, region } = this.loaded.config.agent;
    const list = this.actuator?.api.listNodes?.bind(this.actuator.api);
    if ((provider && region) || !list) return;
    const found = await detectFromNodes(list, 5000);
    Object.assign(this.state.info, resolveIdentity(this.loaded.config.agent, found));
    const { cluster } = this.state.info;
    if (found.note) this.logger.warn({ cluster, provider: this.state.info.provider, region: this.state.info.region }, `identity: ${found.note}`);
    else this.logger.info({ cluster, provider: this.state.info.provider, region: this.state.info.region }, 'identity detected from the nodes');
  }

  /** Stops ticking, finishes the tick in flight, closes the server. Idempotent; bounded by `deadlineMs`. */
  stop(deadlineMs = 9000): Promise<void> {
    this.stopping ??= (async () => {
      const started = Date.now();
      this.calendar.stop();
      const fleetStopped = this.fleet?.stop();
      this.opencost?.stop();
      await this.loop.stop(deadlineMs - 1000);
      await fleetStopped;
      // Hand the Lease to the standby now rather than after it expires.
      await this.actuator?.stop();
      // Sinks flush what the last tick queued, within what is left of the deadline (at least 1 s).
      await this.sinks.shutdown(Math.max(1000, deadlineMs - (Date.now() - started) - 500));
      // Last: what the API and the sinks changed since the last round (delivered pages included).
      await this.durable?.stop();
      await Promise.all(Object.values(this.sources).map((s) => s.close?.() ?? Promise.resolve()));
      this.stream.close();
      await this.bound?.close();
      this.logger.info('agent stopped');
    })();
    return this.stopping;
  }
}
