/**
 * The backtest's progress: a cli-progress bar on stderr when it is a terminal, nothing at all when it is
 * piped or redirected (logs and CI stay clean).
 */
import { SingleBar, Presets } from 'cli-progress';
import { NO_PROGRESS, type BacktestProgress } from './run-backtest';

export function progressFor(stream: NodeJS.WriteStream = process.stderr): BacktestProgress {
  if (!stream.isTTY) return NO_PROGRESS;
  let bar: SingleBar | null = null;
  return {
    begin(label, total) {
      bar?.stop();
      bar = new SingleBar(
        { stream, format: `${label.padEnd(28)} {bar} {percentage}% | {value}/{total} | ETA {eta_formatted}`, hideCursor: true, clearOnComplete: false },
        Presets.shades_classic,
      );
      bar.start(total, 0);
    },
    update(done) {
      bar?.update(done);
    },
    end() {
      bar?.stop();
      bar = null;
    },
  };
}
