/** What every sink constructor receives besides its own config: shared metrics, logs, time. */
import type { Agent as HttpsAgent } from 'node:https';
import type { Writable } from 'node:stream';
import type { PagingConfig } from '../config/paging-config';
import type { PageMonitor } from '../paging/page-monitor';
import type { Logger } from '../util/logger';
import type { OpenPagesStore } from '../contracts/open-pages';
import type { QueuedSinkOptions } from './queued-sink';
import type { BackoffPolicy } from './retry';
import type { Sample, SinkInput, Transport } from '../contracts/sink';
import type { SinkMetrics } from './sink-metrics';
import type { SinkTimers } from './timers';

export interface SinkDeps {
  /** Cluster name: a tag/attribute on every sample, part of every page's dedup key. */
  cluster: string;
  /** Cluster, provider and region, read at each export (provider/region may be detected after start). */
  identity?: () => { cluster: string; provider: string; region: string };
  metrics: SinkMetrics;
  logger: Logger;
  timers?: SinkTimers;
  random?: () => number;
  backoff?: BackoffPolicy;
  /** Where the console sink writes (stdout by default). */
  stdout?: Writable;
  /** Where a PagerDuty sink keeps its open pages across restarts (the agent's durable state); none: memory only. */
  pageStore?: (sinkName: string) => OpenPagesStore;
  /** TLS agent for PagerDuty (tests trust their self-signed stand-in with it). */
  pagerDutyAgent?: HttpsAgent;
  /** The agent's `paging` section: the PagerDuty sink pages from the same definitions as /metrics (defaults when absent). */
  paging?: PagingConfig;
  /**
   * The agent's page monitor, which evaluates the conditions once per tick into `state.pageConditions`:
   * a PagerDuty sink reads that evaluation and hands the monitor its stored memory at boot. Absent (a sink
   * built alone), the sink's tracker runs a monitor of its own.
   */
  pageMonitor?: PageMonitor;
}

/** The queue settings a sink's config carries (schema defaults fill them in). */
export interface QueueConfig {
  maxQueue: number;
  maxBatch?: number;
  requestTimeoutSeconds?: number;
}

export function queueOptions<T>(
  name: string,
  type: string,
  transport: Transport<T>,
  toItems: ((input: SinkInput) => readonly T[]) | undefined,
  cfg: QueueConfig,
  deps: SinkDeps,
): QueuedSinkOptions<T> {
  return {
    name,
    type,
    transport,
    toItems,
    maxQueue: cfg.maxQueue,
    maxBatch: cfg.maxBatch ?? 1,
    requestTimeoutMs: (cfg.requestTimeoutSeconds ?? 10) * 1000,
    metrics: deps.metrics,
    logger: deps.logger,
    timers: deps.timers,
    random: deps.random,
    backoff: deps.backoff,
  };
}

/** The identity tags every Datadog/New Relic series carries (cluster alone when no identity is wired). */
export function identityLabels(deps: SinkDeps): Record<string, string> {
  return deps.identity?.() ?? { cluster: deps.cluster };
}

/** Sample sinks ship every sample of the tick as it is. */
export const allSamples = (input: SinkInput): readonly Sample[] => input.samples;
