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
}

export class Agent {
  readonly state: AgentState;
  readonly metrics: AgentMetrics;
  readonly loop: ControlLoop;
  readonly sources: Record<string, LoadSource>;
  readonly logger: Logger;
  private server: Server | null = null;
  private stopping: Promise<void> | null = null;

  constructor(readonly loaded: LoadedConfig, opts: AgentOptions = {}) {
    const { config } = loaded;
    const clock = opts.clock ?? systemClock;
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
    const app = createApp({ state: this.state, registry: this.metrics.registry });
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
