/** Small robust statistics for the forecaster (simple-statistics does the arithmetic). */
// The package's typings are ESM-only under module "node16", but its CommonJS build loads fine with require.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS build, typed by hand below
const ss = require('simple-statistics') as {
  linearRegression(data: number[][]): { m: number; b: number };
  quantileSorted(sorted: ArrayLike<number>, p: number): number;
};

export function median(values: number[]): number {
  values.sort((a, b) => a - b);
  const n = values.length;
  return n % 2 ? values[n >> 1] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

export function quantile(values: number[], p: number): number {
  return ss.quantileSorted(
    values.slice().sort((a, b) => a - b),
    p,
  );
}

/** The p-quantile of values already sorted ascending (a typed array sorted in place, say). */
export function quantileOfSorted(sorted: ArrayLike<number>, p: number): number {
  return ss.quantileSorted(sorted, p);
}

/**
 * Least-squares slope of y on x through the origin (no load without weddings in the excess), checked
 * against simple-statistics' ordinary regression: when the intercept dominates, the fit is not trusted.
 */
export function fitThroughOrigin(xs: readonly number[], ys: readonly number[]): number {
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += xs[i] * ys[i];
    sxx += xs[i] * xs[i];
  }
  if (sxx === 0) return NaN;
  const { m } = ss.linearRegression(xs.map((x, i) => [x, ys[i]]));
  return Number.isFinite(m) ? sxy / sxx : NaN;
}

/** Least-squares slope of y over x (0 with fewer than two points): trends in the benchmarks. */
export function slope(x: number[], y: number[]): number {
  return x.length > 1 ? ss.linearRegression(x.map((xi, i) => [xi, y[i]])).m : 0;
}
