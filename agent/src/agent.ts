/**
 * Wiring: from a validated config to a running agent (state, loop, HTTP server). The only place that
 * knows every room; everything it builds can also be built alone in a test.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LoadedConfig } from './config/load';
import { CalendarStore } from './calendar/calendar-source';
import { indexCalendar } from './calendar/rules';
import { EwmaDetector } from './detect/ewma-detector';
import type { DetectorFactory } from './detect/detector';
import type { ForecasterFactory } from './forecast/forecaster';
import { LevelPlusCalendarForecaster } from './forecast/naive-forecaster';
import { ControlLoop } from './loop';
import { createAgentMetrics, type AgentMetrics } from './metrics/agent-metrics';
import { createApp } from './api/app';
import { createApiRouter } from './api/router';
import { parseEnvTokens, TOKENS_ENV, type TokenEntry } from './api/auth';
import type { AuditHook } from './api/audit';
import { DryRunScaler } from './scale/dry-run-scaler';
import type { Scaler } from './scale/scaler';
import { buildSources } from './sources/registry';
import type { LoadSource } from './sources/source';
import { AgentState } from './state';
import { systemClock, type Clock } from './util/clock';
import { createLogger, type Logger } from './util/logger';
import { VERSION } from './version';

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
  /** Called for every change made through the operator API (the Kubernetes scaler records Events). */
  onAudit?: AuditHook;
}

export class Agent {
  readonly state: AgentState;
  readonly metrics: AgentMetrics;
  readonly loop: ControlLoop;
  readonly sources: Record<string, LoadSource>;
  readonly logger: Logger;
  private server: Server | null = null;
  private readonly clock: Clock;
  /** Accepted API tokens: config digests plus WEDSYNC_API_TOKENS (hashed here; plain tokens are not kept). */
  private readonly apiTokens: TokenEntry[];
  private readonly onAudit?: AuditHook;
  private stopping: Promise<void> | null = null;

  constructor(readonly loaded: LoadedConfig, opts: AgentOptions = {}) {
    const { config } = loaded;
    const clock = opts.clock ?? systemClock;
    this.clock = clock;
    // A malformed WEDSYNC_API_TOKENS fails start-up (naming the entry, never the token), like a bad config.
    this.apiTokens = [...config.api.tokens, ...parseEnvTokens((opts.env ?? process.env)[TOKENS_ENV])];
    this.onAudit = opts.onAudit;
    this.logger = opts.logger ?? createLogger(config.agent.logLevel);
    this.state = new AgentState(
      { version: VERSION, cluster: config.agent.cluster, mode: config.agent.mode, leader: true, startedAtMs: clock(), lastTickMs: null, lastTickDurationMs: null, ticks: 0, ready: false },
      config.targets,
      indexCalendar({ weddings: [] }, config.wedding),
    );
    this.metrics = createAgentMetrics(this.state);
    this.sources = buildSources(config.sources, { calendar: () => this.state.calendar });
    const loopConfig = opts.tickIntervalMs ? { ...config, agent: { ...config.agent, tickSeconds: opts.tickIntervalMs / 1000 } } : config;
    this.loop = new ControlLoop({
      config: loopConfig,
      state: this.state,
      sources: this.sources,
      scaler: opts.scaler ?? new DryRunScaler(clock),
      calendar: new CalendarStore(config.calendar.sources, loaded.baseDir, clock),
      clock,
      metrics: this.metrics,
      logger: this.logger,
      newDetector: opts.newDetector ?? (() => new EwmaDetector()),
      newForecaster: opts.newForecaster ?? (() => new LevelPlusCalendarForecaster()),
    });
  }

  /** Starts the loop and the HTTP server; resolves with the bound address. */
  async start(): Promise<AddressInfo> {
    const { host, port } = this.loaded.config.agent.listen;
    const api = createApiRouter({
      state: this.state,
      config: this.loaded.config.api,
      tokens: this.apiTokens,
      registry: this.metrics.registry,
      sources: this.sources,
      onAudit: this.onAudit,
      clock: this.clock,
      logger: this.logger,
    });
    const app = createApp({ state: this.state, registry: this.metrics.registry, api });
    this.server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(port, host, () => resolve(s));
      s.once('error', reject);
    });
    this.loop.start();
    const addr = this.server.address() as AddressInfo;
    this.logger.info({ host: addr.address, port: addr.port, mode: this.state.info.mode, targets: this.state.targets.size }, 'agent started');
    return addr;
  }

  /** Stops ticking, finishes the tick in flight, closes the server. Idempotent; bounded by `deadlineMs`. */
  stop(deadlineMs = 9000): Promise<void> {
    this.stopping ??= (async () => {
      await this.loop.stop(deadlineMs - 1000);
      await Promise.all(Object.values(this.sources).map((s) => s.close?.()));
      if (this.server) {
        const server = this.server;
        server.closeAllConnections?.();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      this.logger.info('agent stopped');
    })();
    return this.stopping;
  }
}
