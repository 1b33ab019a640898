/**
 * The shared memory between a replay and its forecasting worker (forecast-ahead.ts): a ring of forecast
 * slots the worker fills ahead of the replay and the replay reads in order, with a small header of
 * counters both sides read and wait on (Atomics).
 *
 * A slot holds one forecast as numbers: cold start (0/1), the method's length and character codes, then
 * value, lower and upper for each point (a point's instant is the origin plus k steps: not stored).
 */
import type { Forecast, ForecastPoint } from '../forecast/forecaster';

/** Header fields (Int32). */
export const PRODUCED = 0;
export const CONSUMED = 1;
/** The first forecast the worker could not work out (the plan left it), or −1. */
export const ABANDONED = 2;
const HEADER_INTS = 4;
const METHOD_CHARS = 96;
const SLOT_FIXED = 2 + METHOD_CHARS;

export interface RingLayout {
  slots: number;
  /** Points per forecast. */
  points: number;
}

export interface Ring {
  header: Int32Array;
  slots: Float64Array;
  layout: RingLayout;
}

export function slotSize(layout: RingLayout): number {
  return SLOT_FIXED + 3 * layout.points;
}

export interface RingBuffers {
  header: SharedArrayBuffer;
  slots: SharedArrayBuffer;
}

export function createRing(layout: RingLayout): RingBuffers {
  const header = new SharedArrayBuffer(HEADER_INTS * 4);
  new Int32Array(header)[ABANDONED] = -1;
  return { header, slots: new SharedArrayBuffer(layout.slots * slotSize(layout) * 8) };
}

export function openRing(buffers: RingBuffers, layout: RingLayout): Ring {
  return { header: new Int32Array(buffers.header), slots: new Float64Array(buffers.slots), layout };
}

/** Writes forecast number `index` into its slot; false when it does not fit the layout (the plan must be left). */
export function writeForecast(ring: Ring, index: number, forecast: Forecast): boolean {
  const { points, method } = forecast;
  if (points.length !== ring.layout.points || method.length > METHOD_CHARS) return false;
  const s = ring.slots;
  let at = (index % ring.layout.slots) * slotSize(ring.layout);
  s[at++] = forecast.coldStart ? 1 : 0;
  s[at++] = method.length;
  for (let c = 0; c < method.length; c++) s[at + c] = method.charCodeAt(c);
  at += METHOD_CHARS;
  for (const p of points) {
    s[at++] = p.value;
    s[at++] = p.lower;
    s[at++] = p.upper;
  }
  return true;
}

/**
 * Reads forecast number `index` made from `fromMs` every `stepMs`. `lastMethod` is returned again when the
 * slot names the same method (no new string per tick).
 */
export function readForecast(ring: Ring, index: number, fromMs: number, stepMs: number, lastMethod: string): Forecast {
  const s = ring.slots;
  let at = (index % ring.layout.slots) * slotSize(ring.layout);
  const coldStart = s[at++] === 1;
  const length = s[at++];
  let method = lastMethod;
  let same = length === lastMethod.length;
  for (let c = 0; same && c < length; c++) same = s[at + c] === lastMethod.charCodeAt(c);
  if (!same) {
    const codes: number[] = [];
    for (let c = 0; c < length; c++) codes.push(s[at + c]);
    method = String.fromCharCode(...codes);
  }
  at += METHOD_CHARS;
  const points: ForecastPoint[] = [];
  for (let k = 1; k <= ring.layout.points; k++) {
    points.push({ tMs: fromMs + k * stepMs, value: s[at], lower: s[at + 1], upper: s[at + 2] });
    at += 3;
  }
  return { points, method, coldStart };
}
