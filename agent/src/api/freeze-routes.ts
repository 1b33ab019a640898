/** GET /deploy-freeze (viewer): may a deploy land now, per target, until when and why. Read from the stored views. */
import type { Router } from 'express';
import { freezeSummary, type TargetFreeze } from '../freeze/freeze-summary';
import type { BreakGlassEvent } from '../state';
import { requireRole } from './auth';
import { parse, targetOr404, type RouteContext } from './context';
import type { BreakGlassDto, DeployFreezeDto, TargetFreezeDto } from './contract';
import { iso } from './dto';
import { deployFreezeQuerySchema } from './schemas';

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

function breakGlassDto(b: BreakGlassEvent): BreakGlassDto {
  return { at: iso(b.atMs), by: b.by, reason: b.reason, duringFreeze: b.duringFreeze, weddings: b.weddings };
}

function targetFreezeDto(t: TargetFreeze): TargetFreezeDto {
  return {
    id: t.id,
    kubernetes: t.kubernetes,
    evaluatedAt: isoOrNull(t.evaluatedAtMs),
    frozen: t.frozen,
    since: isoOrNull(t.sinceMs),
    until: isoOrNull(t.untilMs),
    weddings: t.weddings.map((l) => ({
      id: l.day.wedding.id,
      title: l.day.wedding.title,
      timezone: l.day.wedding.timezone,
      localDate: l.day.localDate,
      phase: l.phase,
      start: iso(l.day.windowStartMs),
      end: iso(l.day.windowEndMs),
    })),
    lastBreakGlass: t.lastBreakGlass ? breakGlassDto(t.lastBreakGlass) : null,
  };
}

export function registerFreezeRoutes(r: Router, ctx: RouteContext): void {
  r.get('/deploy-freeze', requireRole('viewer'), (req, res) => {
    const q = parse(deployFreezeQuerySchema, req.query, 'query');
    targetOr404(ctx.state, q.target);
    const s = freezeSummary(ctx.state, q.target === undefined ? undefined : [q.target]);
    const body: DeployFreezeDto = {
      at: iso(ctx.clock()),
      frozen: s.frozen,
      since: isoOrNull(s.sinceMs),
      until: isoOrNull(s.untilMs),
      targets: s.targets.map(targetFreezeDto),
      reasons: s.reasons,
    };
    res.json(body);
  });
}
