/** What the control loop is built from: the config, the state, the plug-ins behind their contracts, clocks and hooks. */
import type { AgentConfig } from '../config/agent-config';
import type { DetectorFactory } from '../detect/detector';
import type { ForecasterFactory } from '../forecast/forecaster';
import type { Scaler } from '../contracts/scaler';
import type { LoadSource } from '../contracts/load-source';
import type { AgentMetrics } from '../metrics/agent-metrics';
import type { AgentState } from '../state';
import type { PriceBook } from '../cost/price-book';
import type { Clock, MonoClock } from '../util/clock';
import type { Logger } from '../util/logger';

export interface LoopDeps {
  config: AgentConfig;
  state: AgentState;
  sources: Record<string, LoadSource>;
  scaler: Scaler;
  clock: Clock;
  metrics: AgentMetrics;
  logger: Logger;
  newDetector: DetectorFactory;
  newForecaster: ForecasterFactory;
  /** Replica-hour prices; default: the config's price table alone (no OpenCost). */
  prices?: PriceBook;
  /** Only the leader acts on the cluster; followers decide and serve reads. */
  isLeader?: () => boolean;
  /** Called after every tick with the fresh state (sinks, paging). Must not throw. */
  afterTick?: (state: AgentState) => void;
  /**
   * Monotonic instants on the decision clock's timescale: every elapsed-time computation of a tick (a
   * reading's age, stabilisation windows, step limits, holds) uses them, never wall time (util/clock.ts).
   * Default: `clock` itself, which is right for a simulated clock (demo, replay, tests) and only for one.
   */
  monoClock?: MonoClock;
  /**
   * Real elapsed time in ms, never stepped by clock changes (default performance.now): the stall check.
   * Real, not the decision clock's: the timer that drives ticks runs in real time, even in a demo.
   */
  monotonic?: () => number;
}
