/**
 * Cold start: feeds each target's forecaster and detector `forecast.backfillHours` of history from its
 * source (Prometheus query_range, which the source splits into chunks), before the first tick. A
 * failure or a slow source is logged and skipped — the forecaster then starts from the calendar prior.
 */
import type { AgentConfig, TargetConfig } from './config/schema';
import type { LoadSource } from './sources/source';
import type { Clock } from './util/clock';
import type { Logger } from './util/logger';

export interface BackfillDeps {
  config: AgentConfig;
  sources: Record<string, LoadSource>;
  clock: Clock;
  logger: Logger;
  /** Where the history goes: the loop's pipeline for that target. */
  seed(targetId: string, points: Array<{ tMs: number; value: number }>): void;
}

export async function backfillHistory(deps: BackfillDeps, deadlineMs = 30_000): Promise<void> {
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
  await Promise.race([Promise.all(config.targets.map(one)), timeout]);
  clearTimeout(timer);
}
