/**
 * Where the agent's own state lives, and how it starts: with a cluster, a ConfigMap the agent owns (in
 * every mode — it is the agent's memory, not a scaling action); without one, a file under
 * state.directory; else nowhere (memory only, said at start-up).
 */
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Registry } from 'prom-client';
import type { StateBackend } from '../contracts/state-backend';
import type { DurableStateStore } from '../durable/durable-state-store';
import { memoryOnly, type OverrideDurability } from '../api/override-durability';
import type { KubernetesActuator } from '../scale/kubernetes/actuator';
import type { AgentState } from '../state';
import type { Clock } from '../util/clock';
import type { Logger } from '../util/logger';
import type { LoadedConfig } from './config-load';

/** How long POST/DELETE /overrides waits for the store before answering 202 (not durable yet). */
const OVERRIDE_STORE_WAIT_MS = 5000;

export interface DurableWiring {
  loaded: LoadedConfig;
  state: AgentState;
  registry: Registry;
  logger: Logger;
  clock: Clock;
  actuator: KubernetesActuator | null;
  /** A test's tick interval: rounds follow the ticks. */
  tickIntervalMs?: number;
}

/*
 * The backends and the store are loaded only by an agent that keeps state: replay, backtest and
 * capacity-plan build an Agent with neither a cluster nor a state directory, and the file backend's
 * lock library and the ConfigMap document code were ~0.03 s of their start-up.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- lazy loading (above); each typed by its module */
export function buildDurableState(w: DurableWiring): DurableStateStore | null {
  const { config } = w.loaded;
  let backend: StateBackend | null = null;
  if (w.actuator) {
    const { ConfigMapStateBackend } = require('../durable/configmap-backend') as typeof import('../durable/configmap-backend');
    backend = new ConfigMapStateBackend(w.actuator.api, config.kubernetes.leaseNamespace, config.state.configMap);
  } else if (config.state.directory !== undefined) {
    const { FileStateBackend } = require('../durable/file-backend') as typeof import('../durable/file-backend');
    backend = new FileStateBackend(resolve(w.loaded.baseDir, config.state.directory));
  }
  if (!backend) return null;
  const { createDurableMetrics, registerDurableGauges } = require('../durable/durable-metrics') as typeof import('../durable/durable-metrics');
  const { DurableStateStore } = require('../durable/durable-state-store') as typeof import('../durable/durable-state-store');
  const metrics = createDurableMetrics(w.registry);
  const store = new DurableStateStore(backend, w.state, {
    clock: w.clock,
    logger: w.logger,
    maxAuditEntries: config.state.maxAuditEntries,
    intervalMs: w.tickIntervalMs ?? config.agent.tickSeconds * 1000,
    onFailure: () => metrics.syncFailures.inc(),
    onWrite: () => metrics.writes.inc(),
    onTrim: () => metrics.trims.inc(),
  });
  registerDurableGauges(w.registry, () => store.status());
  return store;
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** Loads what earlier runs stored, before the agent serves or ticks. Never fails start-up: a store it cannot write leaves it degraded. */
export async function startDurableState(durable: DurableStateStore | null, w: DurableWiring): Promise<void> {
  const { config, baseDir, file } = w.loaded;
  const dir = config.state.directory;
  if (!durable) {
    w.logger.warn(
      { key: 'state.directory' },
      'state: memory only — overrides, the audit trail and open pages are lost on restart (set state.directory, or connect to Kubernetes)',
    );
    return;
  }
  if (!w.actuator && dir !== undefined) {
    const path = resolve(baseDir, dir);
    try {
      await mkdir(path, { recursive: true });
      await access(path, constants.W_OK);
    } catch (err) {
      // Degraded, not down: the agent scales as configured; overrides set now are answered 202 (not
      // durable), /readyz and wedsync_agent_state_durable say so, and every round tries again.
      w.logger.error(
        { key: 'state.directory', file, path, err: (err as Error).message },
        `state.directory: cannot write ${path}; starting DEGRADED — overrides and the audit trail are kept in memory only until it can be written`,
      );
    }
  }
  const actuator = w.actuator;
  await durable.start(actuator ? () => actuator.importLegacyOverrides() : undefined);
}

/** Whether an override change is in the stored state yet (the API answers 201 only then). */
export function overrideDurability(durable: DurableStateStore | null): OverrideDurability {
  if (!durable) return memoryOnly;
  return { stored: (id, present) => durable.confirm((doc) => doc.overrides.some((o) => o.id === id) === present, OVERRIDE_STORE_WAIT_MS) };
}
