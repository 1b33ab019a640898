import * as fs from 'node:fs';
import type { CliIo, ExitCode, Register } from './command';
import { formatTimestamp, medianStepMs, parseTimestamp, timeOrderedLastWins, type IssueKind } from '../detect/series-csv';
import { createForecaster } from '../forecast/seasonal-calendar-forecaster';
import type { ForecastContext } from '../forecast/forecaster';
import { weddingRulesSchema } from '../config/schema';
import { parseJsonCalendar } from '../calendar/json-reader';
import { parseIcalCalendar } from '../calendar/ical-reader';
import { allEventsRead } from '../calendar/calendar-issues';
import { expectedWeddingLoad, indexCalendar, type CalendarIndex } from '../calendar/rules';
import { readSeries, round, writeOutput } from './detect';

/**
 * `forecast --input FILE.csv --at TIMESTAMP --horizon N [--calendar FILE] [--output FILE]`: learns only
 * from the rows before --at and writes N rows `timestamp,forecast,lower,upper` at the input's step, the
 * first at --at. With a calendar (JSON or iCalendar) the forecast adds the expected wedding load.
 */

/** What forecast does with each kind of irregular row: it learns from the series in time order. */
export const FORECAST_RULES: Partial<Record<IssueKind, string>> = {
  backward: 'put back in time order',
  duplicate: 'last value wins',
  gaps: 'learned around',
  empty: 'left out',
  nonNumeric: 'left out',
  badTimestamp: 'left out',
};
export const registerForecast: Register = (program, io, exit) => {
  program
    .command('forecast')
    .description('forecast a timestamp,value CSV from the rows before --at, optionally with a wedding calendar')
    .requiredOption('-i, --input <file>', 'CSV with a timestamp,value header (extra columns ignored)')
    .requiredOption('--at <timestamp>', 'forecast origin: only rows before it are used; the first forecast row is at it')
    .requiredOption('--horizon <n>', 'number of rows to forecast, at the input step')
    .option('--calendar <file>', 'wedding calendar (.json or .ics) whose expected load the forecast adds')
    .option('-o, --output <file>', 'write timestamp,forecast,lower,upper here (default: standard output)')
    .action((opts: { input: string; at: string; horizon: string; calendar?: string; output?: string }) => {
      const at = parseTimestamp(opts.at);
      if (!at) return fail(io, exit, `--at: "${opts.at}" is not a date-time (use "YYYY-MM-DD HH:MM:SS", ISO-8601 or epoch seconds)`);
      const horizon = Number(opts.horizon);
      if (!Number.isInteger(horizon) || horizon < 1 || horizon > 100_000)
        return fail(io, exit, `--horizon: "${opts.horizon}" must be a whole number from 1 to 100000`);
      const series = readSeries(opts.input, io, exit, 'forecast', FORECAST_RULES);
      if (!series) return;
      const past = timeOrderedLastWins(series.rows).filter((r) => r.tMs < at.tMs);
      if (past.length < 2) return fail(io, exit, `${opts.input}: ${past.length} row(s) before --at ${opts.at}; at least 2 are needed to know the step`);
      const calendar = opts.calendar ? readCalendar(opts.calendar, io, exit) : indexCalendar({ weddings: [] }, weddingRulesSchema.parse({}));
      if (!calendar) return;
      const ctx: ForecastContext = {
        expectedWeddingLoad: (t) => expectedWeddingLoad(calendar, t),
      };
      const step = medianStepMs(past);
      const forecaster = createForecaster();
      for (const r of past) forecaster.observe(r.tMs, r.value);
      const result = forecaster.forecast(at.tMs - step, step, horizon, ctx);
      io.err(`forecast: ${past.length} rows before ${opts.at}, step ${step / 1000} s, method ${result.method}${result.coldStart ? ' (cold start)' : ''}`);
      const lines = ['timestamp,forecast,lower,upper'];
      for (const p of result.points) lines.push(`${formatTimestamp(p.tMs, series.style)},${round(p.value)},${round(p.lower)},${round(p.upper)}`);
      writeOutput(lines, opts.output, io, exit);
    });
};

function readCalendar(file: string, io: CliIo, exit: ExitCode): CalendarIndex | null {
  try {
    const text = fs.readFileSync(file, 'utf8');
    const read = /\.ics$/i.test(file) || text.trimStart().startsWith('BEGIN:VCALENDAR') ? parseIcalCalendar(text, file) : parseJsonCalendar(text, file);
    return indexCalendar(allEventsRead(read, file), weddingRulesSchema.parse({}));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    io.err(e.code ? `${file}: cannot read the file (${e.code})` : `--calendar ${e.message}`);
    exit.code = 2;
    return null;
  }
}

function fail(io: CliIo, exit: ExitCode, message: string): void {
  io.err(message);
  exit.code = 2;
}
