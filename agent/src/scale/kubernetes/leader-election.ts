/**
 * Leader election on a coordination.k8s.io/v1 Lease, after client-go's leaderelection (the JS client has
 * none). Each round: read the Lease; create it if missing; renew it if we hold it; take it over if its
 * holder has not renewed within leaseDurationSeconds of when *we* saw the record change (our own clock:
 * immune to skew between nodes); otherwise follow. Writes carry resourceVersion, so of two contenders only
 * one wins (the other gets 409). A leader that cannot renew within renewDeadline stops acting before its
 * Lease can expire and be taken over — never two actors at once. stop() hands the Lease over at once.
 */
import type { Logger } from '../../util/logger';
import { isConflict } from '../../contracts/kube-errors';
import type { KubeApi, LeaseRecord } from '../../contracts/kube-api';

export interface LeaderElectionOptions {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationSeconds: number;
  /** A leader that has not renewed for this long steps down (default 2/3 of the lease). */
  renewDeadlineSeconds?: number;
  /** Time between rounds (default lease / 7.5, as client-go's 15 s / 2 s). */
  retryPeriodSeconds?: number;
  clock: () => number;
  onChange?: (leader: boolean) => void;
  logger?: Logger;
}

export class LeaseLeaderElector {
  private leading = false;
  private lastRenewMs = -Infinity;
  private observed: { key: string; atMs: number } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<boolean> | null = null;
  private stopped = false;
  private readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;

  constructor(
    private readonly api: KubeApi,
    private readonly opts: LeaderElectionOptions,
  ) {
    const lease = opts.leaseDurationSeconds;
    this.renewDeadlineMs = (opts.renewDeadlineSeconds ?? (lease * 2) / 3) * 1000;
    this.retryPeriodMs = (opts.retryPeriodSeconds ?? lease / 7.5) * 1000;
    if (this.renewDeadlineMs >= lease * 1000) throw new Error(`kubernetes.renewDeadlineSeconds must be below leaseDurationSeconds (${lease})`);
  }

  /** True only while our last renewal is recent enough that nobody else can hold the Lease. */
  isLeader(): boolean {
    return this.leading && this.opts.clock() - this.lastRenewMs < this.renewDeadlineMs;
  }

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.tryAcquireOrRenew(), this.retryPeriodMs);
    this.timer.unref();
    void this.tryAcquireOrRenew();
  }

  /** One election round (skipped while one is running); never rejects. Resolves with leadership. */
  tryAcquireOrRenew(): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    this.round ??= this.runRound()
      .catch((err: Error) => {
        this.opts.logger?.warn({ err: err.message, lease: this.leaseName() }, 'leader election round failed');
        return this.isLeader();
      })
      .then((leader) => {
        this.set(leader);
        return leader;
      })
      .finally(() => {
        this.round = null;
      });
    return this.round;
  }

  /** Stops electing; a leader releases the Lease so a standby takes over without waiting for expiry. Idempotent. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.stopped) return;
    this.stopped = true;
    await this.round?.catch(() => undefined);
    if (!this.isLeader()) return this.set(false);
    this.set(false);
    try {
      const cur = await this.api.readLease(this.opts.namespace, this.opts.name);
      if (cur?.holderIdentity !== this.opts.identity) return;
      const now = this.opts.clock();
      await this.api.replaceLease(this.opts.namespace, this.opts.name, {
        ...cur,
        holderIdentity: null,
        leaseDurationSeconds: 1,
        renewTimeMs: now,
        acquireTimeMs: now,
      });
      this.opts.logger?.info({ lease: this.leaseName(), identity: this.opts.identity }, 'released leadership');
    } catch (err) {
      this.opts.logger?.warn({ err: (err as Error).message, lease: this.leaseName() }, 'could not release the Lease; the standby takes over when it expires');
    }
  }

  private async runRound(): Promise<boolean> {
    const { namespace, name, identity, clock } = this.opts;
    const now = clock();
    const duration = this.opts.leaseDurationSeconds;
    const cur = await this.api.readLease(namespace, name);
    if (!cur) {
      try {
        await this.api.createLease(namespace, name, {
          holderIdentity: identity,
          leaseDurationSeconds: duration,
          acquireTimeMs: now,
          renewTimeMs: now,
          leaseTransitions: 0,
        });
      } catch (err) {
        if (isConflict(err)) return false; // another replica created it first
        throw err;
      }
      return this.renewed(now);
    }

    const key = `${cur.holderIdentity}|${cur.renewTimeMs}|${cur.resourceVersion}`;
    if (this.observed?.key !== key) this.observed = { key, atMs: now };
    const heldByOther = !!cur.holderIdentity && cur.holderIdentity !== identity;
    const expiresAt = this.observed.atMs + (cur.leaseDurationSeconds ?? duration) * 1000;
    if (heldByOther && now < expiresAt) return false;

    const mine = cur.holderIdentity === identity;
    const next: LeaseRecord = {
      holderIdentity: identity,
      leaseDurationSeconds: duration,
      acquireTimeMs: mine ? cur.acquireTimeMs : now,
      renewTimeMs: now,
      leaseTransitions: mine ? cur.leaseTransitions : cur.leaseTransitions + 1,
      resourceVersion: cur.resourceVersion,
    };
    try {
      await this.api.replaceLease(namespace, name, next);
    } catch (err) {
      if (isConflict(err)) return false; // someone wrote in between: they hold it now
      throw err;
    }
    if (!mine) this.opts.logger?.info({ lease: this.leaseName(), identity, previous: cur.holderIdentity }, 'acquired leadership');
    return this.renewed(now);
  }

  private renewed(now: number): boolean {
    this.lastRenewMs = now;
    return true;
  }

  private set(leader: boolean): void {
    // Leadership also lapses silently when renewals stop succeeding (isLeader checks the deadline).
    const effective = leader && this.isLeaderAt(this.opts.clock());
    if (effective !== this.leading) {
      this.leading = effective;
      if (!effective) this.opts.logger?.warn({ lease: this.leaseName(), identity: this.opts.identity }, 'not the leader');
      this.opts.onChange?.(effective);
    }
  }

  private isLeaderAt(now: number): boolean {
    return now - this.lastRenewMs < this.renewDeadlineMs;
  }

  private leaseName(): string {
    return `${this.opts.namespace}/${this.opts.name}`;
  }
}
