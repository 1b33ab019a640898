import { createForecaster } from '../forecast/seasonal-calendar-forecaster';
import type { ForecastContext } from '../forecast/forecaster';
import { CalendarMemoForecaster } from './calendar-memo-forecaster';

describe('CalendarMemoForecaster', () => {
  test('forecasts exactly what the wrapped forecaster does, asking the calendar each instant once', () => {
    let calls = 0;
    const ctx: ForecastContext = {
      expectedWeddingLoad: (t) => {
        calls++;
        return (t / 60_000) % 97 < 30 ? 40 : 0;
      },
    };
    const plain = createForecaster();
    const memo = new CalendarMemoForecaster(createForecaster());
    const start = Date.parse('2027-06-01T00:00:00Z');
    for (let k = 0; k < 3 * 1440; k++) {
      const t = start + k * 60_000;
      const v = 100 + 50 * Math.sin(k / 200) + (k % 97 < 30 ? 40 : 0);
      plain.observe(t, v);
      memo.observe(t, v);
      if (k % 60 === 59) {
        const a = plain.forecast(t, 60_000, 10, ctx);
        const b = memo.forecast(t, 60_000, 10, ctx);
        expect(b.points).toEqual(a.points);
        expect(b.method).toBe(a.method);
      }
    }
    // A second identical forecast asks the calendar nothing new.
    const t = start + 3 * 1440 * 60_000;
    memo.forecast(t, 60_000, 10, ctx);
    const before = calls;
    memo.forecast(t, 60_000, 10, ctx);
    expect(calls).toBe(before);
  });
});
