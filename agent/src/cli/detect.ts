import * as fs from 'node:fs';
import type { CliIo, ExitCode, Register } from './command';
import { describeIssues, parseSeriesCsv, SeriesCsvError, type IssueKind, type SeriesCsv } from '../detect/series-csv';
import { createDetector } from '../detect/combined-detector';

/**
 * `detect --input FILE.csv [--output FILE.csv]`: scores every row of a `timestamp,value` series (NAB
 * format; extra columns ignored) in streaming order — each row's score uses only the rows before it and
 * itself — and writes `timestamp,value,anomaly_score`, one row per usable input row.
 */

/** What detect does with each kind of irregular row: the file's row order is the stream, as NAB's detectors read it. */
export const DETECT_RULES: Partial<Record<IssueKind, string>> = {
  backward: 'row order kept, as NAB does',
  duplicate: 'each row scored in file order',
  gaps: 'scored as they come',
  empty: 'left out',
  nonNumeric: 'left out',
  badTimestamp: 'left out',
};
export const registerDetect: Register = (program, io, exit) => {
  program
    .command('detect')
    .description('score a timestamp,value CSV for anomalies, streaming (each row sees only earlier rows)')
    .requiredOption('-i, --input <file>', 'CSV with a timestamp,value header (extra columns ignored)')
    .option('-o, --output <file>', 'write timestamp,value,anomaly_score here (default: standard output)')
    .action((opts: { input: string; output?: string }) => {
      const series = readSeries(opts.input, io, exit, 'detect', DETECT_RULES);
      if (!series) return;
      const detector = createDetector();
      const lines = ['timestamp,value,anomaly_score'];
      for (const r of series.rows) lines.push(`${r.raw},${r.value},${round(detector.update(r.tMs, r.value).score)}`);
      writeOutput(lines, opts.output, io, exit);
    });
};

/**
 * Reads and parses a series file; irregular rows are reported in one stderr line with the command's rule
 * for each kind. On failure prints "FILE: reason" and sets exit code 2.
 */
export function readSeries(file: string, io: CliIo, exit: ExitCode, command: string, rules: Partial<Record<IssueKind, string>>): SeriesCsv | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    io.err(`${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    exit.code = 2;
    return null;
  }
  try {
    const series = parseSeriesCsv(text);
    const issues = describeIssues(series.issues, rules);
    if (issues) io.err(`${command}: ${file}: ${issues}`);
    return series;
  } catch (err) {
    if (!(err instanceof SeriesCsvError)) throw err;
    io.err(`${file}: ${err.message}`);
    exit.code = 2;
    return null;
  }
}

export function writeOutput(lines: string[], output: string | undefined, io: CliIo, exit: ExitCode): void {
  if (!output) {
    for (const l of lines) io.out(l);
    return;
  }
  try {
    fs.writeFileSync(output, lines.join('\n') + '\n');
  } catch (err) {
    io.err(`${output}: cannot write the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    exit.code = 1;
  }
}

export function round(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
}
