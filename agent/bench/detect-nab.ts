/**
 * `npm run bench:detect`: runs the agent's detector over the NAB corpus in streaming order and scores it
 * with NAB's method (three profiles, one threshold per profile over the corpus), beside the null detector
 * and the foundation's EWMA detector in the same run.
 *
 *   node .tmp/bench/bench/detect-nab.js [--results DIR]   (DIR: NAB results/<detector>/ to check the scorer)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadNabCorpus, type NabSeries } from './nab-corpus';
import { scoreCorpus, type ProfileResult } from './nab-scoring';
import type { AnomalyDetector } from '../src/detect/detector';
import { EwmaDetector } from '../test-support/ewma-detector';
import { createDetector } from '../src/detect/combined-detector';

function runDetector(corpus: readonly NabSeries[], make: () => AnomalyDetector): Float64Array[] {
  return corpus.map((f) => {
    const d = make();
    const out = new Float64Array(f.rows.length);
    for (let i = 0; i < f.rows.length; i++) out[i] = d.update(f.rows[i].tMs, f.rows[i].value).score;
    return out;
  });
}

/** Reads NAB's own result files (timestamp,value,anomaly_score,…) for the same series. */
function readNabResults(corpus: readonly NabSeries[], dir: string): Float64Array[] {
  const detector = path.basename(dir);
  return corpus.map((f) => {
    const file = path.join(dir, path.dirname(f.name), `${detector}_${path.basename(f.name)}`);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').slice(1);
    return Float64Array.from(lines, (l) => Number(l.split(',')[2]));
  });
}

function line(name: string, r: ProfileResult[]): string {
  return `| ${name} | ${r.map((p) => p.normalized.toFixed(1)).join(' | ')} | ${r.map((p) => p.threshold.toFixed(4)).join(' / ')} |`;
}

/** Per file at the standard threshold: windows caught (and how early), false positives after probation. */
function printDetail(corpus: readonly NabSeries[], scores: Float64Array[], threshold: number): void {
  corpus.forEach((f, i) => {
    const probation = Math.min(Math.floor(0.15 * f.rows.length), 750);
    const caught: string[] = [];
    let fp = 0;
    for (const [a, b] of f.windows) {
      const ia = f.timestamps.indexOf(a);
      const ib = f.timestamps.indexOf(b);
      let hit = -1;
      for (let k = Math.max(ia, probation); k <= ib; k++)
        if (scores[i][k] >= threshold) {
          hit = k;
          break;
        }
      caught.push(hit < 0 ? 'miss' : ((hit - ia) / (ib - ia + 1)).toFixed(2));
    }
    for (let k = probation; k < f.rows.length; k++) {
      if (scores[i][k] < threshold) continue;
      const t = f.timestamps[k];
      if (!f.windows.some(([a, b]) => t >= a && t <= b)) fp++;
    }
    console.log(`${f.name.padEnd(60)} windows [${caught.join(' ')}] fp ${fp}`);
  });
}

function main(): void {
  const args = process.argv.slice(2);
  const corpus = loadNabCorpus();
  const windows = corpus.reduce((n, f) => n + f.windows.length, 0);
  const rows = corpus.reduce((n, f) => n + f.rows.length, 0);
  console.log(`NAB corpus: ${corpus.length} files, ${rows} rows, ${windows} windows`);
  console.log('| detector | standard | reward_low_FP_rate | reward_low_FN_rate | thresholds |');
  console.log('|---|---|---|---|---|');
  const resultsAt = args.indexOf('--results');
  if (resultsAt >= 0) {
    for (const dir of args.slice(resultsAt + 1)) console.log(line(`NAB results: ${path.basename(dir)}`, scoreCorpus(corpus, readNabResults(corpus, dir))));
    return;
  }
  // NAB_DETECTOR_OPTIONS='{"zMin":4}' tries other settings (one setting for the whole corpus, as NAB requires).
  const options = process.env.NAB_DETECTOR_OPTIONS ? (JSON.parse(process.env.NAB_DETECTOR_OPTIONS) as Parameters<typeof createDetector>[0]) : {};
  const started = process.hrtime.bigint();
  const ours = runDetector(corpus, () => createDetector(options));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const result = scoreCorpus(corpus, ours);
  console.log(line('wedsync combined (ours)', result));
  if (args.includes('--detail')) printDetail(corpus, ours, result[0].threshold);
  if (args.includes('--only-ours')) return;
  console.log(
    line(
      'ewma z-score (foundation)',
      scoreCorpus(
        corpus,
        runDetector(corpus, () => new EwmaDetector()),
      ),
    ),
  );
  console.log(
    line(
      'null',
      scoreCorpus(
        corpus,
        corpus.map((f) => new Float64Array(f.rows.length)),
      ),
    ),
  );
  console.log(`(ours: ${rows} updates in ${seconds.toFixed(2)} s including warm-up)`);
}

main();
