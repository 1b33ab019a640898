/**
 * Overrides: the one thing the API changes. It only edits state.overrides; the loop's planner applies
 * them on its next tick (the API never talks to Kubernetes). Coordinators may protect a wedding — a
 * freeze or a floor lasting until the wedding ends — and remove such overrides; operators and admins
 * may set and remove any override.
 */
import { randomUUID } from 'node:crypto';
import type { Router } from 'express';
import { liveWindowEnd } from '../calendar/rules';
import type { Override } from '../plan/types';
import { hasRole, principalOf, requireRole, type Principal } from './auth';
import { HttpError, badRequest } from './errors';
import { overrideDto, iso } from './dto';
import type { OverrideListDto } from './contract';
import { jsonBody, parse, targetOr404, type RouteContext } from './context';
import { overrideParamsSchema, overrideRequestSchema, overridesQuerySchema } from './schemas';
import { sendWithDurability } from './override-durability';

/** Active overrides are few by nature; the cap keeps a runaway script from growing state without bound. */
export const MAX_ACTIVE_OVERRIDES = 1000;
const OVERRIDE_BODY_LIMIT = 16 * 1024;

const field = (name: string, reason: string) => new HttpError(400, `invalid body: ${name}: ${reason}`, [{ field: name, reason }]);

/** What a coordinator may touch: wedding protection that ends with the wedding. */
function coordinatorMay(o: { type: string; untilWeddingEnds?: boolean }): boolean {
  return (o.type === 'freeze' || o.type === 'floor') && o.untilWeddingEnds === true;
}

function mayChange(p: Principal, o: { type: string; untilWeddingEnds?: boolean }): boolean {
  return hasRole(p, 'operator') || coordinatorMay(o);
}

export function registerOverrideRoutes(r: Router, ctx: RouteContext): void {
  const { state, clock, config, auditor } = ctx;

  r.get('/overrides', requireRole('viewer'), (req, res) => {
    const q = parse(overridesQuerySchema, req.query, 'query');
    targetOr404(state, q.target);
    res.json({ overrides: state.activeOverrides(clock(), q.target).map(overrideDto) } satisfies OverrideListDto);
  });

  r.post('/overrides', requireRole('coordinator'), ...jsonBody(OVERRIDE_BODY_LIMIT), async (req, res) => {
    const parsed = overrideRequestSchema.safeParse(req.body);
    if (!parsed.success) throw badRequest(parsed.error, '');
    const body = parsed.data;
    const principal = principalOf(res);
    if (!mayChange(principal, body))
      throw new HttpError(
        403,
        `role "${principal.role}" may only set a freeze or floor with "untilWeddingEnds": true (a ${body.type} needs operator or above)`,
      );
    const target = state.targets.get(body.target);
    if (!target) throw field('target', `unknown target "${body.target}"`);
    if (body.replicas !== undefined && body.replicas > target.config.maxReplicas)
      throw field('replicas', `must be at most the target's maxReplicas (${target.config.maxReplicas})`);

    const now = clock();
    const horizonMs = config.overrideMaxHorizonHours * 3_600_000;
    let untilMs: number;
    if (body.until !== undefined) {
      untilMs = Date.parse(body.until);
      if (untilMs <= now) throw field('until', `is in the past (now is ${iso(now)})`);
      if (untilMs > now + horizonMs)
        throw field('until', `is beyond the ${config.overrideMaxHorizonHours} h override horizon (latest ${iso(now + horizonMs)})`);
    } else {
      const end = liveWindowEnd(state.calendar, now, target.config.timezones);
      if (end === null) throw field('untilWeddingEnds', `no wedding is live for target "${body.target}" now`);
      untilMs = Math.min(end, now + horizonMs);
    }
    if (state.activeOverrides(now).length >= MAX_ACTIVE_OVERRIDES)
      throw new HttpError(409, `too many active overrides (${MAX_ACTIVE_OVERRIDES}); delete some first`);

    const override: Override = {
      id: randomUUID(),
      targetId: body.target,
      type: body.type,
      ...(body.replicas !== undefined ? { replicas: body.replicas } : {}),
      untilMs,
      untilWeddingEnds: body.untilWeddingEnds === true,
      reason: body.reason,
      author: principal.name,
      createdAtMs: now,
    };
    state.addOverride(override, now);
    const dto = overrideDto(override);
    auditor.record({ atMs: now, actor: principal.name, role: principal.role, action: 'override.create', targetId: body.target, detail: { ...dto } });
    res.location(`${req.baseUrl}/overrides/${override.id}`);
    // 201 only once stored: an override lost at the next restart must not have been acknowledged as set.
    const verdict = ctx.durability ? await ctx.durability.stored(override.id, true) : ({ durable: true } as const);
    sendWithDurability(res, 201, dto, verdict);
  });

  r.delete('/overrides/:id', requireRole('coordinator'), async (req, res) => {
    const { id } = parse(overrideParamsSchema, req.params, 'path');
    const now = clock();
    const o = state.activeOverrides(now).find((x) => x.id === id);
    if (!o) throw new HttpError(404, `no active override "${id}"`);
    const principal = principalOf(res);
    if (!mayChange(principal, o)) throw new HttpError(403, `role "${principal.role}" may only remove wedding-long freezes and floors`);
    state.removeOverride(id);
    const dto = overrideDto(o);
    auditor.record({ atMs: now, actor: principal.name, role: principal.role, action: 'override.delete', targetId: o.targetId, detail: { ...dto } });
    const verdict = ctx.durability ? await ctx.durability.stored(o.id, false) : ({ durable: true } as const);
    sendWithDurability(res, 200, dto, verdict);
  });
}
