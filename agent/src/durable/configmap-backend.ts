/**
 * The durable document in a ConfigMap the agent owns (default `wedsync-agent-state` in the Lease's
 * namespace), under the data key `state.json`. Created on first write; every later write replaces it
 * with the resourceVersion it read, so a concurrent write by the other replica is refused (409) and
 * merged again instead of overwritten.
 */
import { isConflict } from '../contracts/kube-errors';
import type { KubeApi } from '../contracts/kube-api';
import { StateConflictError, type StateBackend, type StoredState } from '../contracts/state-backend';

export const STATE_DATA_KEY = 'state.json';
const LABELS = { 'app.kubernetes.io/name': 'wedsync-agent', 'app.kubernetes.io/component': 'state' };

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
}
