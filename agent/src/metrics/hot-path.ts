/**
 * Metrics the control loop updates every tick, at the cost of a few additions. prom-client's own
 * `inc` and `observe` validate and hash their labels on every call (about a microsecond each, several
 * per tick: a fifth of a replay's loop time). Here:
 *
 * - a counter series is a plain number, added to its prom-client Counter when the registry is read
 *   (the counter's `collect`): /metrics and the sinks read the same values as if each were counted at once;
 * - a histogram keeps its buckets itself and answers the registry in prom-client's own format, so the
 *   exposition is the one a prom-client Histogram with the same observations gives (hot-path.test.ts).
 */
import { Counter, type CounterConfiguration, type Registry } from 'prom-client';

/** One series of a counter, counted in a plain number until the registry reads the counter. */
export class CountSeries<L extends string> {
  private pending = 0;

  constructor(
    private readonly counter: Counter<L>,
    private readonly labels: Partial<Record<L, string>>,
  ) {}

  inc(): void {
    this.pending++;
  }

  /** Hands what was counted to the counter (whole numbers: the total is exact whichever way it is added). */
  flush(): void {
    if (this.pending === 0) return;
    this.counter.inc(this.labels, this.pending);
    this.pending = 0;
  }
}

/** A prom-client Counter with series counted on the hot path (`series`), taken in whenever it is read. */
export class HotCounter<L extends string> {
  readonly counter: Counter<L>;
  private readonly series = new Map<string, CountSeries<L>>();

  constructor(config: Omit<CounterConfiguration<L>, 'collect'>) {
    const series = this.series;
    this.counter = new Counter<L>({
      ...config,
      collect() {
        for (const s of series.values()) s.flush();
      },
    });
  }

  /** The series for these labels (look it up once and keep it: the lookup builds a key). */
  seriesFor(labels: Partial<Record<L, string>> = {}): CountSeries<L> {
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = new CountSeries(this.counter, labels)));
    return s;
  }
}

/** One label set's buckets, count and sum, as prom-client keeps them. */
export class HistogramSeries {
  /** Observations per bucket (not cumulative), by upper bound's position. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  /** Shown once observed (after a reset, not until observed again), in the order first observed, as prom-client does. */
  shown = false;

  constructor(
    private readonly bounds: readonly number[],
    readonly labels: Record<string, string>,
    private readonly shownOrder: HistogramSeries[],
  ) {
    this.counts = new Float64Array(bounds.length);
  }

  show(): void {
    this.shown = true;
    this.shownOrder.push(this);
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
    const { bounds } = this;
    for (let i = 0; i < bounds.length; i++)
      if (value <= bounds[i]) {
        this.counts[i] += 1;
        break;
      }
    this.sum += value;
    this.count += 1;
    if (!this.shown) this.show();
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
    this.shown = false;
  }
}

interface HistogramValue {
  labels: Record<string, string | number>;
  value: number;
  metricName: string;
  exemplar?: null;
}

/** A histogram registered in a prom-client Registry, kept in plain arrays (see the top of the file). */
export class HotHistogram<L extends string = never> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  private readonly bounds: readonly number[];
  private readonly labelNames: readonly L[];
  private readonly series = new Map<string, HistogramSeries>();
  private unlabelled: HistogramSeries | null = null;
  /** The series shown, in the order they were first observed. */
  private readonly shown: HistogramSeries[] = [];

  constructor(config: { name: string; help: string; buckets: readonly number[]; labelNames?: readonly L[]; registers: Registry[] }) {
    this.name = config.name;
    this.help = config.help;
    this.bounds = [...config.buckets].sort((a, b) => a - b);
    this.labelNames = config.labelNames ?? [];
    // Without labels the one series exists (at zero) from the start, as in prom-client.
    if (this.labelNames.length === 0) this.seriesFor().show();
    // The registry reads any metric through name, help, type, aggregator and get() (prom-client's Registry).
    for (const r of config.registers) r.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  /** The series for these labels (look it up once and keep it: the lookup builds a key). */
  seriesFor(labels: Partial<Record<L, string>> = {}): HistogramSeries {
    for (const k of Object.keys(labels)) if (!this.labelNames.includes(k as L)) throw new Error(`Added label "${k}" is not included in initial labelset`);
    const key = this.labelNames.map((l) => `${l}:${labels[l] ?? ''}`).join(',');
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = new HistogramSeries(this.bounds, { ...labels } as Record<string, string>, this.shown)));
    return s;
  }

  /** Observes into the series without labels (a histogram with no label names). */
  observe(value: number): void {
    (this.unlabelled ??= this.seriesFor()).observe(value);
  }

  reset(): void {
    for (const s of this.series.values()) s.reset();
    this.shown.length = 0;
  }

  async get(): Promise<{ name: string; help: string; type: 'histogram'; aggregator: 'sum'; values: HistogramValue[] }> {
    const values: HistogramValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const s of this.shown) {
      let acc = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        acc += s.counts[i];
        values.push({ value: acc, metricName: bucket, exemplar: null, labels: { le: this.bounds[i], ...s.labels } });
      }
      values.push({ value: s.count, metricName: bucket, exemplar: null, labels: { le: '+Inf', ...s.labels } });
      values.push({ value: s.sum, metricName: `${this.name}_sum`, exemplar: undefined, labels: { ...s.labels } });
      values.push({ value: s.count, metricName: `${this.name}_count`, exemplar: undefined, labels: { ...s.labels } });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}
