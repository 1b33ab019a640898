/**
 * `npm run bench:forecast`: the protocol of data/forecast/README.md on every series given (default: the
 * shared nyc_taxi.csv, and the two wedding traces with and without their calendars). m = one week and H = one day at the series' own step; origins at N − k·m for
 * k = 4…1; each model sees only the rows before the origin. MAPE, sMAPE and MASE (scaled by the in-sample
 * weekly seasonal-naive MAE) per origin, averaged, for our forecaster beside the seasonal naive and
 * @bsull/augurs MSTL-ETS in the same run.
 *
 *   node .tmp/bench/bench/forecast-accuracy.js [FILE.csv …]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseSeriesCsv, medianStepMs, type SeriesRow } from '../src/detect/series-csv';
import { createForecaster } from '../src/forecast/seasonal-calendar-forecaster';
import type { ForecastContext } from '../src/forecast/forecaster';
import { dataDir } from './nab-corpus';
import { expectedWeddingLoad, indexCalendar } from '../src/calendar/rules';
import { parseJsonCalendar } from '../src/calendar/json-reader';
import { weddingRulesSchema } from '../src/config/schema';

type Model = (train: readonly SeriesRow[], stepMs: number, horizon: number, m: number) => number[] | Promise<number[]>;

const NO_CALENDAR: ForecastContext = { expectedWeddingLoad: () => 0 };

/** Ours with the calendar of a wedding trace (default wedding rules; β is fitted to the history). */
function withCalendar(ctx: ForecastContext): Model {
  return (train, step, H) => {
    const f = createForecaster();
    for (const r of train) f.observe(r.tMs, r.value);
    return f.forecast(train[train.length - 1].tMs, step, H, ctx).points.map((p) => p.value);
  };
}

const models: Record<string, Model> = {
  'seasonal naive (one week earlier)': (train, _step, H, m) => Array.from({ length: H }, (_, h) => train[train.length - m + h].value),
  'wedsync seasonal+calendar (ours)': (train, step, H) => {
    const f = createForecaster();
    for (const r of train) f.observe(r.tMs, r.value);
    return f.forecast(train[train.length - 1].tMs, step, H, NO_CALENDAR).points.map((p) => p.value);
  },
  '@bsull/augurs MSTL-ETS [day, week]': async (train, _step, H, m) => {
    const mstl = await loadAugursMstl();
    const model = mstl.MSTL.ets([m / 7, m]);
    model.fit(Float64Array.from(train, (r) => r.value));
    const out = model.predict(H, null).point;
    model.free();
    return out;
  },
};

interface AugursMstl {
  MSTL: { ets(periods: number[]): { fit(y: Float64Array): void; predict(h: number, level: null): { point: number[] }; free(): void } };
}
let augurs: AugursMstl | null = null;
/** augurs ships an ESM "web" build: load the .wasm bytes ourselves (its default init fetches a file URL). */
async function loadAugursMstl(): Promise<AugursMstl> {
  if (augurs) return augurs;
  const mod = (await import('@bsull/augurs/mstl')) as unknown as AugursMstl & { initSync(o: { module: Buffer }): void };
  mod.initSync({ module: fs.readFileSync(require.resolve('@bsull/augurs/mstl').replace(/mstl\.js$/, 'mstl_bg.wasm')) });
  augurs = mod;
  return mod;
}

async function evaluate(file: string, calendarFile?: string): Promise<void> {
  const { rows } = parseSeriesCsv(fs.readFileSync(file, 'utf8'));
  const all: Record<string, Model> = { ...models };
  if (calendarFile) {
    const index = indexCalendar(parseJsonCalendar(fs.readFileSync(calendarFile, 'utf8'), calendarFile), weddingRulesSchema.parse({}));
    all['wedsync seasonal+calendar (ours) with the calendar'] = withCalendar({ expectedWeddingLoad: (t) => expectedWeddingLoad(index, t) });
    // MSTL on 10k-point weeks is slow and was already rejected on the public series.
    delete all['@bsull/augurs MSTL-ETS [day, week]'];
  }
  const step = medianStepMs(rows);
  const m = Math.round((7 * 86_400_000) / step);
  const H = Math.round(86_400_000 / step);
  const N = rows.length;
  // Four origins when the series has six weeks or more; fewer on shorter ones (MASE needs two weeks of training).
  const ks = [4, 3, 2, 1].filter((k) => N - k * m >= 2 * m);
  console.log(`\n${path.relative(dataDir(), file)}: ${N} rows, step ${step / 60_000} min, m = ${m}, H = ${H}, origins N − k·m, k = ${ks.join(', ')}`);
  console.log('| model | MAPE % | sMAPE % | MASE | per-origin MAPE % | fit+forecast ms/origin |');
  console.log('|---|---|---|---|---|---|');
  for (const [name, model] of Object.entries(all)) {
    let mape = 0,
      smape = 0,
      mase = 0,
      ms = 0;
    const perOrigin: string[] = [];
    for (const k of ks) {
      const o = N - k * m;
      const train = rows.slice(0, o);
      const started = process.hrtime.bigint();
      let f: number[];
      try {
        f = await model(train, step, H, m);
      } catch (err) {
        console.log(`| ${name} | failed: ${(err as Error).message} |`);
        break;
      }
      ms += Number(process.hrtime.bigint() - started) / 1e6;
      let a = 0,
        s = 0,
        e = 0,
        scale = 0;
      for (let h = 0; h < H; h++) {
        const y = rows[o + h].value;
        a += Math.abs(y - f[h]) / Math.abs(y);
        s += (2 * Math.abs(y - f[h])) / (Math.abs(y) + Math.abs(f[h]));
        e += Math.abs(y - f[h]);
      }
      for (let i = m; i < o; i++) scale += Math.abs(train[i].value - train[i - m].value);
      scale /= o - m;
      mape += (100 * a) / H / ks.length;
      smape += (100 * s) / H / ks.length;
      mase += e / H / scale / ks.length;
      perOrigin.push(((100 * a) / H).toFixed(2));
    }
    if (perOrigin.length === ks.length)
      console.log(`| ${name} | ${mape.toFixed(2)} | ${smape.toFixed(2)} | ${mase.toFixed(3)} | ${perOrigin.join(' / ')} | ${(ms / ks.length).toFixed(0)} |`);
  }
}

async function main(): Promise<void> {
  // Arguments: CSV files, or trace folders (trace.csv + calendar.json). Default: nyc_taxi and the two wedding traces.
  const args = process.argv.slice(2);
  const targets = args.length
    ? args
    : [path.join(dataDir(), 'forecast', 'nyc_taxi.csv'), path.join(dataDir(), 'traces', 'peak-season-8w'), path.join(dataDir(), 'traces', 'off-season-4w')];
  for (const t of targets) {
    if (fs.statSync(t).isDirectory()) await evaluate(path.join(t, 'trace.csv'), path.join(t, 'calendar.json'));
    else await evaluate(t);
  }
}

void main();
