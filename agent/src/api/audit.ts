/**
 * Every change the API makes is audited three ways: a JSON log line (pino), the bounded list behind
 * GET /audit, and an optional hook (the Kubernetes scaler turns it into an Event). A failing hook is
 * logged and counted, never allowed to undo or fail the change itself.
 */
import type { Counter } from 'prom-client';
import type { AgentState, AuditEntry } from '../state';
import type { Logger } from '../util/logger';

export type AuditHook = (entry: AuditEntry) => void | Promise<void>;

export class Auditor {
  constructor(
    private readonly state: AgentState,
    private readonly logger: Logger,
    private readonly counter: Counter<'action'>,
    private readonly onAudit?: AuditHook,
  ) {}

  record(entry: AuditEntry): void {
    this.state.audit.push(entry);
    this.counter.inc({ action: entry.action });
    this.logger.info({ audit: { ...entry, at: new Date(entry.atMs).toISOString() } }, `audit: ${entry.actor} ${entry.action}`);
    if (!this.onAudit) return;
    try {
      const r = this.onAudit(entry);
      if (r && typeof r.catch === 'function') r.catch((err: unknown) => this.logger.warn({ err, action: entry.action }, 'audit hook failed'));
    } catch (err) {
      this.logger.warn({ err, action: entry.action }, 'audit hook failed');
    }
  }
}
