import { slope } from './robust';

describe('slope (least squares, as the benchmarks read a trend)', () => {
  test.each([
    ['a rising line', [0, 1, 2, 3], [1, 3, 5, 7], 2],
    ['a flat series', [0, 1, 2], [5, 5, 5], 0],
    ['noise around a falling trend', [0, 1, 2, 3], [10, 8.5, 6.5, 4], -2],
    ['one point: no trend', [4], [9], 0],
  ])('%s', (_name, x, y, expected) => {
    expect(slope(x, y)).toBeCloseTo(expected, 10);
  });
});
