/**
 * The deploy freeze in the cluster, the agent's half (kubernetes.deployFreeze; the policy is in
 * agent/deploy/overlays/admission):
 *  - the leader keeps the policy's parameter ConfigMap current: a heartbeat (`expiresAt`) and one key per
 *    frozen target (freeze/admission-params.ts), rewritten when the freeze changes or the heartbeat is
 *    half spent; at stop it empties the freeze (deploys pass, the policy fails open);
 *  - every replica reads the targets for break glass (freeze/break-glass.ts) and records it in the state
 *    (audit entry, GET /deploy-freeze, the paging condition); the leader also writes a Kubernetes Event.
 * Faults are values: a round that fails is logged and counted, never thrown into the caller.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { AgentConfig } from '../../config/agent-config';
import { admissionParams, paramsContent } from '../../freeze/admission-params';
import { detectBreakGlass, BREAK_GLASS_ANNOTATION } from '../../freeze/break-glass';
import { freezeSummary } from '../../freeze/freeze-summary';
import { METRIC } from '../../metrics/names';
import type { AgentState, BreakGlassEvent } from '../../state';
import type { Logger } from '../../util/logger';
import type { EventRecorder } from './event-recorder';
import type { KubeApi } from '../../contracts/kube-api';

export interface FreezeGuardOptions {
  namespace: string;
  configMap: string;
  heartbeatMs: number;
  isLeader: () => boolean;
  clock: () => number;
  logger: Logger;
  events: EventRecorder;
  registry: Registry;
}

export function freezeGuardOptions(config: AgentConfig): Pick<FreezeGuardOptions, 'namespace' | 'configMap' | 'heartbeatMs'> | null {
  const f = config.kubernetes.deployFreeze;
  if (!f) return null;
  return { namespace: f.namespace ?? config.kubernetes.leaseNamespace, configMap: f.configMap, heartbeatMs: f.heartbeatSeconds * 1000 };
}

export class FreezeGuard {
  /** Per target: the break-glass annotation's value, as stored, on the last read (null: none). Absent before the first read. */
  private readonly seen = new Map<string, string | null>();
  private written: { content: string; expiresAtMs: number } | null = null;
  private readonly writeFailures: Counter<string>;
  private readonly breakGlass: Counter<'target'>;

  constructor(
    private readonly api: KubeApi,
    private readonly state: AgentState,
    private readonly opts: FreezeGuardOptions,
  ) {
    const written = () => this.written;
    new Gauge({
      name: METRIC.deployFreezeParamsExpiryTimestampSeconds,
      help: 'When the deploy-freeze parameter this replica last wrote expires (Unix seconds); past it the admission policy lets deploys through.',
      registers: [opts.registry],
      collect() {
        this.reset();
        const w = written();
        if (w) this.set(w.expiresAtMs / 1000);
      },
    });
    this.writeFailures = new Counter({
      name: METRIC.deployFreezeParamsWriteFailuresTotal,
      help: 'Failed writes of the deploy-freeze parameter ConfigMap.',
      registers: [opts.registry],
    });
    this.breakGlass = new Counter({
      name: METRIC.breakGlassTotal,
      help: 'Changes let through a deploy freeze by the wedsync.io/emergency-change annotation, by target.',
      labelNames: ['target'],
      registers: [opts.registry],
    });
  }

  /** One round: publish (leader) and watch for break glass. Never rejects. */
  async sync(): Promise<void> {
    await Promise.all([this.publish().catch((err: Error) => this.failed(err)), this.watch()]);
  }

  /** The leader writes the parameter when its content changed or half the heartbeat is spent. */
  async publish(): Promise<void> {
    if (!this.opts.isLeader()) return;
    const now = this.opts.clock();
    const summary = freezeSummary(this.state);
    // Before the first tick the freeze is unknown: leave the last leader's parameter (and its heartbeat) be.
    if (summary.targets.some((t) => t.evaluatedAtMs === null)) return;
    const data = admissionParams(summary, now, this.opts.heartbeatMs);
    const content = paramsContent(data);
    if (this.written && this.written.content === content && this.written.expiresAtMs - now > this.opts.heartbeatMs / 2) return;
    await this.write(data);
    this.written = { content, expiresAtMs: now + this.opts.heartbeatMs };
  }

  /** At stop: nothing frozen, no heartbeat (the policy lets every deploy through until a leader writes again). */
  async release(): Promise<void> {
    if (!this.opts.isLeader()) return;
    try {
      await this.write({});
      this.written = null;
    } catch (err) {
      this.failed(err as Error);
    }
  }

  private async write(data: Record<string, string>): Promise<void> {
    const { namespace, configMap } = this.opts;
    for (let attempt = 0; ; attempt++) {
      const cm = await this.api.readConfigMap(namespace, configMap);
      if (!cm)
        throw new Error(
          `ConfigMap ${namespace}/${configMap} does not exist: the deploy freeze is not enforced in the cluster (apply agent/deploy/overlays/admission)`,
        );
      try {
        // A PUT replaces labels too: keep the ones the admission overlay gave it.
        await this.api.replaceConfigMap(
          namespace,
          configMap,
          { data, resourceVersion: cm.resourceVersion },
          { 'app.kubernetes.io/name': 'wedsync-agent', 'app.kubernetes.io/component': 'deploy-freeze' },
        );
        return;
      } catch (err) {
        if ((err as { status?: number }).status !== 409 || attempt >= 2) throw err;
      }
    }
  }

  private failed(err: Error): void {
    this.writeFailures.inc();
    this.opts.logger.warn({ err: err.message, configMap: `${this.opts.namespace}/${this.opts.configMap}` }, 'could not write the deploy-freeze parameter');
  }

  /** Reads each target's annotations; a new break-glass reason is recorded once. */
  async watch(): Promise<void> {
    await Promise.all(
      [...this.state.targets.values()].map(async (t) => {
        try {
          const w = await this.api.readWorkload(t.config.kubernetes);
          const event = detectBreakGlass(this.seen.get(t.config.id), w, t, this.opts.clock());
          this.seen.set(t.config.id, w.annotations[BREAK_GLASS_ANNOTATION] ?? null);
          if (event) await this.record(event);
        } catch (err) {
          this.opts.logger.warn({ target: t.config.id, err: (err as Error).message }, 'could not read the target for break glass');
        }
      }),
    );
  }

  private async record(e: BreakGlassEvent): Promise<void> {
    const t = this.state.targets.get(e.targetId)!;
    const k = t.config.kubernetes;
    this.state.breakGlass.push(e);
    this.breakGlass.inc({ target: e.targetId });
    const detail = {
      reason: e.reason,
      workload: `${k.kind} ${k.namespace}/${k.name}`,
      generation: e.generation ?? null,
      duringFreeze: e.duringFreeze,
      weddings: e.weddings,
    };
    this.state.audit.push({ atMs: e.atMs, actor: e.by, role: 'kubernetes', action: 'break-glass', targetId: e.targetId, detail });
    this.opts.logger.warn(
      { audit: { ...detail, actor: e.by, action: 'break-glass', target: e.targetId, at: new Date(e.atMs).toISOString() } },
      `audit: ${e.by} break-glass`,
    );
    if (!this.opts.isLeader()) return; // one Event per change, not one per replica
    const during = e.duringFreeze ? `during the deploy freeze (weddings live: ${e.weddings.join(', ')})` : 'outside a deploy freeze';
    await this.opts.events.record(
      k,
      'WedSyncBreakGlass',
      `${e.by} changed ${k.kind} ${k.namespace}/${k.name} with ${BREAK_GLASS_ANNOTATION}: "${e.reason}" ${during}`,
      'Warning',
    );
  }
}
