/** Binary searches over an ascending run of numbers (a typed array's first n). */

/** The first k with a[k] > t (a sorted ascending over [0, n)). */
export function upperBound(a: Float64Array, n: number, t: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first k with a[k] ≥ t (a sorted ascending over [0, n)). */
export function lowerBound(a: Float64Array, n: number, t: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
