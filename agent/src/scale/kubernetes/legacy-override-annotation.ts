/**
 * Overrides as earlier versions kept them: a JSON annotation (`kubernetes.overridesAnnotation`, default
 * `wedsync.io/overrides`) on each target workload. The agent now keeps overrides in its own state
 * (durable/), so this is only read, once, on the first start that finds no stored state, to carry
 * overrides over an upgrade. Never written. Entries that are not well-formed overrides for the target,
 * or have expired, are dropped (and logged), never trusted.
 */
import type { TargetConfig } from '../../config/schema';
import type { Override } from '../../plan/types';
import type { Logger } from '../../util/logger';
import type { KubeApi } from '../../contracts/kube-api';

export const OVERRIDES_ANNOTATION = 'wedsync.io/overrides';

const TYPES = new Set(['pin', 'floor', 'freeze']);

export interface LegacyReadOptions {
  annotation?: string;
  logger?: Logger;
  /** Called once per target whose workload could not be read. */
  onFailure?: () => void;
}

/** The live overrides every target's annotation holds; a target that cannot be read is skipped (logged). */
export async function readLegacyOverrides(api: KubeApi, targets: readonly TargetConfig[], nowMs: number, opts: LegacyReadOptions = {}): Promise<Override[]> {
  const annotation = opts.annotation ?? OVERRIDES_ANNOTATION;
  const perTarget = await Promise.all(
    targets.map(async (t) => {
      try {
        const w = await api.readWorkload(t.kubernetes);
        return parse(w.annotations[annotation], t.id, annotation, opts.logger).filter((o) => o.untilMs > nowMs);
      } catch (err) {
        opts.onFailure?.();
        opts.logger?.warn({ target: t.id, err: (err as Error).message }, 'could not read the legacy overrides annotation');
        return [];
      }
    }),
  );
  return perTarget.flat();
}

function parse(raw: string | undefined, targetId: string, annotation: string, logger?: Logger): Override[] {
  if (!raw) return [];
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    logger?.warn({ target: targetId, annotation }, 'legacy override annotation is not JSON; ignoring it');
    return [];
  }
  if (!Array.isArray(data)) return [];
  const entries = data as Array<Partial<Override> | null>;
  return entries.filter((o): o is Override => {
    const ok =
      !!o &&
      typeof o.id === 'string' &&
      o.targetId === targetId &&
      o.type !== undefined &&
      TYPES.has(o.type) &&
      Number.isFinite(o.untilMs) &&
      (o.type === 'freeze' || (Number.isInteger(o.replicas) && (o.replicas ?? -1) >= 0)) &&
      typeof o.reason === 'string';
    if (!ok) logger?.warn({ target: targetId, entry: o }, 'dropping a malformed override from the legacy annotation');
    return ok;
  });
}
