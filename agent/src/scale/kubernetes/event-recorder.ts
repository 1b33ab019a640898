/**
 * Kubernetes Events on the target workload: one per scaling change (with the planner's reasons), one per
 * refusal, and one per audited operator change (the API's audit hook). An Event that cannot be written
 * is logged and counted, never allowed to fail the change it describes.
 */
import type { TargetConfig } from '../../config/schema';
import type { AuditEntry } from '../../state';
import type { Logger } from '../../util/logger';
import type { KubeApi, KubeEvent, WorkloadRef } from '../../contracts/kube-api';

/** The Kubernetes Event `message` field is limited to 1 KiB by the API server. */
const MAX_MESSAGE = 1024;

export interface EventRecorder {
  record(ref: WorkloadRef & { uid?: string }, reason: string, message: string, type?: 'Normal' | 'Warning'): Promise<void>;
}

export class KubeEventRecorder implements EventRecorder {
  failures = 0;

  constructor(
    private readonly api: KubeApi,
    private readonly clock: () => number,
    private readonly logger?: Logger,
    private readonly onFailure?: () => void,
  ) {}

  async record(ref: WorkloadRef & { uid?: string }, reason: string, message: string, type: 'Normal' | 'Warning' = 'Normal'): Promise<void> {
    const event: KubeEvent = {
      involved: ref,
      reason,
      message: message.length > MAX_MESSAGE ? message.slice(0, MAX_MESSAGE - 1) + '…' : message,
      type,
      atMs: this.clock(),
    };
    try {
      await this.api.createEvent(event);
    } catch (err) {
      this.failures++;
      this.onFailure?.();
      this.logger?.warn({ err: (err as Error).message, reason, target: `${ref.namespace}/${ref.name}` }, 'could not write Kubernetes Event');
    }
  }
}

/** Records nothing: dry-run and shadow modes, and agents without a cluster. */
export const NO_EVENTS: EventRecorder = { record: async () => undefined };

/**
 * The hook the API's Auditor calls for every audited change (matches api/audit.ts `AuditHook`): an Event
 * on the target the change concerns, or on every target when it concerns none in particular.
 */
export function createAuditEventHook(recorder: EventRecorder, targets: TargetConfig[]): (entry: AuditEntry) => Promise<void> {
  return async (entry) => {
    const concerned = entry.targetId ? targets.filter((t) => t.id === entry.targetId) : targets;
    const detail = Object.entries(entry.detail)
      .filter(([k]) => !/token|secret|password|key/i.test(k))
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    const message = `${entry.actor} (${entry.role}) ${entry.action}${detail ? `: ${detail}` : ''}`;
    await Promise.all(concerned.map((t) => recorder.record(t.kubernetes, 'WedSyncAudit', message)));
  };
}
