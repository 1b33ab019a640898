/**
 * Cold start: feeds each target's forecaster and detector `forecast.backfillHours` of history from its
 * source (Prometheus query_range, which the source splits into chunks), before the first tick. A
 * failure or a slow source is logged and skipped — the forecaster then starts from the calendar prior.
 */
import type { TargetConfig } from '../config/schema';
import type { AgentConfig } from '../config/agent-config';
import type { LoadSource } from '../contracts/load-source';
import type { Clock } from '../util/clock';
import type { Logger } from '../util/logger';

export interface BackfillDeps {
  config: AgentConfig;
  sources: Record<string, LoadSource>;
  clock: Clock;
  logger: Logger;
  /** Where the history goes: the loop's pipeline for that target. */
  seed(targetId: string, points: Array<{ tMs: number; value: number }>): void;
}

/**
 * Targets fetched at once. Each holds its whole history while it is parsed and seeded (14 days a minute:
 * 20,160 points, several MB as query_range JSON); all 20 of a config at once made the start-up heap peak
 * above 64 MB and set the pod's memory floor. Four keep Prometheus busy without that peak.
 */
export const BACKFILL_CONCURRENCY = 4;

export async function backfillHistory(deps: BackfillDeps, deadlineMs = 30_000, concurrency = BACKFILL_CONCURRENCY): Promise<void> {
  const { config, sources, logger } = deps;
  if (config.forecast.backfillHours <= 0) return;
  const to = deps.clock();
  const from = to - config.forecast.backfillHours * 3_600_000;
  const stepMs = config.forecast.stepSeconds * 1000;
  let abandoned = false;
  const failed = (target: TargetConfig, error: string) =>
    logger.warn({ target: target.id, error }, 'backfill failed; forecasting from the calendar prior until history builds up');
  const one = async (target: TargetConfig): Promise<void> => {
    const source = sources[target.load.source];
    if (!source?.history) return;
    try {
      const points = await source.history(target, from, to, stepMs);
      if ('error' in points) return failed(target, points.error);
      // History arriving after the deadline would reach a loop that has moved on: drop it.
      if (abandoned) return;
      deps.seed(target.id, points);
      logger.info({ target: target.id, points: points.length }, 'backfilled history');
    } catch (err) {
      failed(target, (err as Error).message);
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      abandoned = true;
      logger.warn({ deadlineMs }, 'backfill still running at its deadline; starting the loop without the rest');
      resolve();
    }, deadlineMs);
    timer.unref();
  });
  const queue = [...config.targets];
  const worker = async () => {
    for (let target = queue.shift(); target && !abandoned; target = queue.shift()) await one(target);
  };
  await Promise.race([Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker)), timeout]);
  clearTimeout(timer);
}
