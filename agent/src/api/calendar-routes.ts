/**
 * POST /calendar/confirm (admin): applies a calendar update the agent held back because it removed more
 * than calendar.maxDropFraction of a source's upcoming weddings. The body names the source and the held
 * update's fingerprint (GET /status shows both): a confirmation applies exactly that update, so a later,
 * different update is never confirmed by accident (409). Audited like every change. The confirmation is
 * kept in the durable state, so the other replica applies the same update at its next round.
 */
import type { Router } from 'express';
import type { Confirmer, ConfirmOutcome } from '../contracts/calendar-source-status';
import { principalOf, requireRole } from './auth';
import { HttpError, badRequest } from './errors';
import { heldCalendarUpdateDto } from './dto';
import type { CalendarConfirmResultDto } from './contract';
import { jsonBody, type RouteContext } from './context';
import { calendarConfirmRequestSchema } from './schemas';

const CONFIRM_BODY_LIMIT = 8 * 1024;

/** What the route confirms through (the agent's CalendarRefresher: it re-indexes the calendar at once). */
export interface CalendarConfirmer {
  confirm(location: string, fingerprint: string, by?: Confirmer): Promise<ConfirmOutcome>;
}

export function registerCalendarRoutes(r: Router, ctx: RouteContext, calendar: CalendarConfirmer | undefined): void {
  r.post('/calendar/confirm', requireRole('admin'), ...jsonBody(CONFIRM_BODY_LIMIT), async (req, res) => {
    const parsed = calendarConfirmRequestSchema.safeParse(req.body);
    if (!parsed.success) throw badRequest(parsed.error, '');
    if (!calendar) throw new HttpError(404, 'calendar confirmation is not available in this agent');
    const { source, fingerprint, reason } = parsed.data;
    const p = principalOf(res);
    // Recorded with the confirmation in the durable state: the other replica applies the same update.
    const result = await calendar.confirm(source, fingerprint, { actor: p.name, reason });
    switch (result.outcome) {
      case 'unknown-source':
        throw new HttpError(400, `invalid body: source: no calendar source "${source}"`, [
          { field: 'source', reason: `no calendar source "${source}" (see calendar in GET /status)` },
        ]);
      case 'nothing-held':
        throw new HttpError(409, `no calendar update is held for "${source}": nothing to confirm`);
      case 'mismatch':
        throw new HttpError(
          409,
          `the update held for "${source}" now is ${result.held.fingerprint} (${result.held.upcomingBefore} → ${result.held.upcomingAfter} upcoming weddings), not ${fingerprint}: nothing was applied`,
        );
    }
    const dto: CalendarConfirmResultDto = { source, ...heldCalendarUpdateDto(result.held) };
    ctx.auditor.record({ atMs: ctx.clock(), actor: p.name, role: p.role, action: 'calendar.confirm', detail: { ...dto, reason } });
    res.json(dto);
  });
}
