/**
 * What every candidate of one target shares, recorded once from one real replay: per step, the reading
 * the planner saw (or that it saw none), the detector's verdict, the forecast, and the calendar's answers.
 * None of these depends on the policy being tuned: the detector and forecaster learn only from the
 * trace's readings (never from the replicas the planner chose), and the calendar only from the trace's
 * calendar and the target's zones. The one policy setting that changes what is *asked* is the predictive
 * window (the replay's forecast horizon, replay-config.ts; and how far ahead the calendar-step rule looks):
 * the recording asks for the widest window among the candidates, and each candidate reads the prefix its
 * own window would have asked for (a forecast point depends on its instant, not on how many were asked).
 * recorded-planner.ts then plays each candidate as the planner loop alone over these arrays;
 * recorded-planner.test.ts proves the schedules byte-identical to full replays.
 */
import type { LoadedConfig } from '../app/config-load';
import type { TargetCalendar } from '../calendar/target-calendar';
import type { AnomalyDetector, AnomalyKind, AnomalyResult, DetectionContext } from '../detect/detector';
import { createDetector } from '../detect/combined-detector';
import type { Forecast, ForecastContext, Forecaster } from '../forecast/forecaster';
import { replayAgent } from '../replay/run-replay';
import type { Trace } from '../replay/trace';

/** The calendar's answer at one step, as the planner reads it (its expectedLoadAt is in `stepLoad`). */
export type CalendarFacts = Omit<TargetCalendar, 'expectedLoadAt'>;

export interface RecordedInputs {
  startMs: number;
  stepMs: number;
  steps: number;
  /** Forecast points kept per step (the widest candidate's horizon); `forecast` holds value, lower, upper. */
  horizon: number;
  /** Points of each step's forecast; -1: none (the forecaster failed). Point i is at step start + (i + 1)·stepMs. */
  forecastLength: Int16Array;
  forecast: Float64Array;
  /** The reading the planner saw (NaN: none, missing or stale), and whether this step's read failed. */
  observed: Float64Array;
  readFailed: Uint8Array;
  /** The detector's verdict: 0 = none this step (no fresh reading), else 1 + index in `anomalyKinds`. */
  anomalyKind: Uint8Array;
  anomalyScore: Float64Array;
  anomalyKinds: AnomalyKind[];
  /** Distinct calendar answers, and which one each step had. */
  calendars: CalendarFacts[];
  calendarAt: Uint32Array;
  /**
   * Expected wedding load at step start + leadMs + j·60 s (j < stepLoadCount), for the calendar-step rule;
   * null when it is 0 everywhere (a calendar without weddings for this target).
   */
  leadMs: number;
  stepLoadCount: number;
  stepLoad: Float64Array | null;
  /** The replica-hour price the replay's planner was told (constant over a replay). */
  price: { perReplicaHour: number; currency: string } | undefined;
}

/** Wedding days of the calendar index by identity (the index is fixed while a replay plays). */
const dayIds = new WeakMap<object, number>();
let nextDayId = 0;
const idOf = (day: object) => {
  let id = dayIds.get(day);
  if (id === undefined) dayIds.set(day, (id = nextDayId++));
  return id;
};
const weddingsKey = (ws: CalendarFacts['live']) => ws.map((w) => `${idOf(w.day)}:${w.phase}`).join(',');

/** Equal for equal answers (cheap: asked every step). */
function calendarKey(c: CalendarFacts): string {
  const f = c.freeze;
  return `${c.expectedLoad}|${c.peakSeason}|${f.frozen}|${f.sinceMs}|${f.untilMs}|${weddingsKey(c.live)}|${weddingsKey(c.protecting)}|${weddingsKey(f.weddings)}`;
}

/** Remembers the verdict of the step in progress. */
class RecordingDetector implements AnomalyDetector {
  last: AnomalyResult | undefined;
  constructor(private readonly inner: AnomalyDetector) {}
  update(tMs: number, value: number, ctx?: DetectionContext): AnomalyResult {
    this.last = this.inner.update(tMs, value, ctx);
    return this.last;
  }
}

/** Remembers the forecast of the step in progress ('failed' when it threw, as the pipeline then plans without one). */
class RecordingForecaster implements Forecaster {
  last: Forecast | 'failed' | null = null;
  constructor(private readonly inner: Forecaster) {}
  observe(tMs: number, value: number): void {
    this.inner.observe(tMs, value);
  }
  forecast(fromMs: number, stepMs: number, steps: number, ctx: ForecastContext): Forecast {
    this.last = 'failed';
    this.last = this.inner.forecast(fromMs, stepMs, steps, ctx);
    return this.last;
  }
}

export interface RecordingJob {
  trace: Trace;
  /** The config to record with: any candidate's, with the widest predictive window of them all. */
  user: LoadedConfig;
  /** The widest predictive window (s) among the candidates: how far ahead the calendar answers are kept. */
  windowSeconds: number;
  /** The start-up the planner leads by (the target's podStartupSeconds: the in-memory cluster measures none). */
  podStartupSeconds: number;
}

/** One real replay of `job`, recording what its candidates share. */
export async function recordInputs(job: RecordingJob): Promise<RecordedInputs> {
  const { trace } = job;
  const n = trace.demand.length;
  const stepMs = trace.stepMs;
  const leadMs = job.podStartupSeconds * 1000;
  const stepLoadCount = Math.floor((job.windowSeconds * 1000) / 60_000) + 1;
  let detector: RecordingDetector | null = null;
  let forecaster: RecordingForecaster | null = null;
  let horizon = 0;
  let forecast = new Float64Array(0);
  const rec = {
    forecastLength: new Int16Array(n),
    observed: new Float64Array(n),
    readFailed: new Uint8Array(n),
    anomalyKind: new Uint8Array(n),
    anomalyScore: new Float64Array(n),
    calendarAt: new Uint32Array(n),
  };
  const anomalyKinds: AnomalyKind[] = [];
  const calendars: CalendarFacts[] = [];
  let lastCalendarKey = '';
  const stepLoad = new Float64Array(n * stepLoadCount);
  let anyStepLoad = false;
  // Steps a minute apart ask mostly the same instants again: each is asked of the calendar once.
  const loadAt = new Map<number, number>();
  const result = await replayAgent(trace, {
    user: job.user,
    newDetector: () => (detector = new RecordingDetector(createDetector())),
    // The forecaster replayAgent wires by default (forecasting ahead on a worker thread), seen from inside its calendar memo.
    watchForecaster: (inner) => (forecaster = new RecordingForecaster(inner)),
    onStep: (k, target) => {
      const nowMs = trace.startMs + k * stepMs;
      const view = target.view!;
      if (view.overrides.length) throw new Error('tune: a replay has no operator overrides to record');
      rec.observed[k] = view.load ?? NaN;
      rec.readFailed[k] = view.readError === null ? 0 : 1;
      const a = detector!.last;
      detector!.last = undefined;
      if (a) {
        let i = anomalyKinds.indexOf(a.kind);
        if (i < 0) i = anomalyKinds.push(a.kind) - 1;
        rec.anomalyKind[k] = i + 1;
        rec.anomalyScore[k] = a.score;
      }
      const f = forecaster!.last;
      forecaster!.last = null;
      if (f === null || f === 'failed') rec.forecastLength[k] = -1;
      else {
        if (!horizon) {
          horizon = f.points.length;
          forecast = new Float64Array(n * horizon * 3);
        }
        const len = Math.min(f.points.length, horizon);
        rec.forecastLength[k] = len;
        for (let i = 0; i < len; i++) {
          const p = f.points[i];
          if (p.tMs !== nowMs + (i + 1) * stepMs) throw new Error(`tune: forecast point ${i} at ${p.tMs}, not on the step grid: cannot be recorded`);
          const o = (k * horizon + i) * 3;
          forecast[o] = p.value;
          forecast[o + 1] = p.lower;
          forecast[o + 2] = p.upper;
        }
      }
      const { expectedLoadAt, ...facts } = view.calendar;
      const key = calendarKey(facts);
      if (key !== lastCalendarKey) {
        calendars.push(facts);
        lastCalendarKey = key;
      }
      rec.calendarAt[k] = calendars.length - 1;
      for (let j = 0; j < stepLoadCount; j++) {
        const t = nowMs + leadMs + j * 60_000;
        let v = loadAt.get(t);
        if (v === undefined) loadAt.set(t, (v = expectedLoadAt(t)));
        stepLoad[k * stepLoadCount + j] = v;
        if (v !== 0) anyStepLoad = true;
      }
    },
  });
  const price = result.price.perReplicaHour !== null ? { perReplicaHour: result.price.perReplicaHour, currency: result.price.currency } : undefined;
  return {
    startMs: trace.startMs,
    stepMs,
    steps: n,
    horizon,
    forecast,
    ...rec,
    anomalyKinds,
    calendars,
    leadMs,
    stepLoadCount,
    stepLoad: anyStepLoad ? stepLoad : null,
    price,
  };
}
