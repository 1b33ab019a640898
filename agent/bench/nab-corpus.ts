/** Loads a NAB-format corpus (data/<category>/<file>.csv + labels/combined_windows.json) from disk. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseSeriesCsv, parseTimestamp, type SeriesRow } from '../src/detect/series-csv';
import type { NabFile } from './nab-scoring';

export interface NabSeries extends NabFile {
  rows: SeriesRow[];
}

/** The shared data folder: WEDSYNC_DATA_DIR, else ../shared/data beside the repository (this file runs from agent/.tmp/bench/bench). */
export function dataDir(): string {
  return process.env.WEDSYNC_DATA_DIR ?? path.resolve(__dirname, '../../../../../shared/data');
}

export function loadNabCorpus(root = path.join(dataDir(), 'nab')): NabSeries[] {
  const labelsFile = path.join(root, 'labels', 'combined_windows.json');
  if (!fs.existsSync(labelsFile)) throw new Error(`NAB labels not found at ${labelsFile} (set WEDSYNC_DATA_DIR to the folder holding nab/)`);
  const labels = JSON.parse(fs.readFileSync(labelsFile, 'utf8')) as Record<string, Array<[string, string]>>;
  return Object.keys(labels)
    .sort()
    .map((name) => {
      const { rows } = parseSeriesCsv(fs.readFileSync(path.join(root, 'data', name), 'utf8'));
      const ms = (s: string): number => parseTimestamp(s)!.tMs;
      return { name, rows, timestamps: rows.map((r) => r.tMs), windows: labels[name].map(([a, b]) => [ms(a), ms(b)] as [number, number]) };
    });
}
