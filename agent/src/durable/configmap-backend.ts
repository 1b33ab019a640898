/**
 * The durable document in a ConfigMap the agent owns (default `wedsync-agent-state` in the Lease's
 * namespace), under the data key `state.json`. Created on first write; every later write replaces it
 * with the resourceVersion it read, so a concurrent write by the other replica is refused (409) and
 * merged again instead of overwritten.
 */
import { isConflict } from '../contracts/kube-errors';
import type { KubeApi } from '../contracts/kube-api';
import { setAsideStamp } from './set-aside';
import { StateConflictError, type SetAsideResult, type StateBackend, type StoredState } from '../contracts/state-backend';

export const STATE_DATA_KEY = 'state.json';
const LABELS = { 'app.kubernetes.io/name': 'wedsync-agent', 'app.kubernetes.io/component': 'state' };
const SET_ASIDE_LABELS = { 'app.kubernetes.io/name': 'wedsync-agent', 'app.kubernetes.io/component': 'state-set-aside' };

export class ConfigMapStateBackend implements StateBackend {
  readonly description: string;

  constructor(
    private readonly api: KubeApi,
    private readonly namespace: string,
    private readonly name: string,
  ) {
    this.description = `ConfigMap ${namespace}/${name}`;
  }

  async read(): Promise<StoredState> {
    const cm = await this.api.readConfigMap(this.namespace, this.name);
    if (!cm) return { text: null, version: null };
    return { text: cm.data[STATE_DATA_KEY] ?? null, version: cm.resourceVersion ?? '' };
  }

  async write(text: string, version: string | null): Promise<void> {
    const data = { [STATE_DATA_KEY]: text };
    try {
      if (version === null) await this.api.createConfigMap(this.namespace, this.name, data, LABELS);
      else await this.api.replaceConfigMap(this.namespace, this.name, { data, resourceVersion: version }, LABELS);
    } catch (err) {
      if (isConflict(err)) throw new StateConflictError(this.description);
      throw err;
    }
  }

  /**
   * Copies the unreadable document into a new ConfigMap `<name>-set-aside-<utc stamp>` (the agent may
   * create ConfigMaps; it updates only its own by name); the next write replaces the state ConfigMap at the
   * version read, so a change by the other replica in between is still refused.
   */
  async setAside(version: string | null, atMs: number): Promise<SetAsideResult> {
    const cm = await this.api.readConfigMap(this.namespace, this.name);
    if (!cm || (cm.resourceVersion ?? '') !== version) throw new StateConflictError(this.description);
    const copy = `${this.name}-set-aside-${setAsideStamp(atMs).toLowerCase()}`;
    await this.api.createConfigMap(this.namespace, copy, cm.data, SET_ASIDE_LABELS);
    return { keptAt: `ConfigMap ${this.namespace}/${copy}`, nextVersion: version };
  }
}
