import { weddingRulesSchema } from '../config/schema';
import { expectedWeddingLoad, indexCalendar } from '../calendar/rules';
import { WeddingLoadTable } from '../calendar/wedding-load-table';
import { createForecaster } from '../forecast/seasonal-calendar-forecaster';
import type { ForecastContext } from '../forecast/forecaster';
import { CalendarMemoForecaster } from './calendar-memo-forecaster';

const rules = weddingRulesSchema.parse({});
const index = indexCalendar(
  {
    weddings: ['2027-06-01T14:00:00+01:00', '2027-06-02T16:00:00+01:00', '2027-06-03T13:00:00+01:00'].map((start, i) => ({
      id: `w${i}`,
      title: 'w',
      start,
      timezone: 'Europe/London',
      days: 1,
      guests: 200,
      tradition: 'british',
      vendors: 4,
    })),
  },
  rules,
);

describe('CalendarMemoForecaster', () => {
  test('forecasts exactly what the wrapped forecaster does with the calendar, without asking it once the table is in', () => {
    let calls = 0;
    const ctx: ForecastContext = {
      expectedWeddingLoad: (t) => {
        calls++;
        return expectedWeddingLoad(index, t, []);
      },
    };
    const start = Date.parse('2027-06-01T00:00:00Z');
    const plain = createForecaster();
    const memo = new CalendarMemoForecaster(createForecaster({ pointMemory: true }));
    memo.useTable(new WeddingLoadTable(index, [], start, 60_000, 4 * 1440));
    let compared = 0;
    for (let k = 0; k < 3 * 1440; k++) {
      const t = start + k * 60_000;
      const v = 100 + 50 * Math.sin(k / 200) + 1.3 * expectedWeddingLoad(index, t, []);
      plain.observe(t, v);
      memo.observe(t, v);
      if (k % 7 === 0) {
        const a = plain.forecast(t, 60_000, 10, ctx);
        const before = calls;
        const b = memo.forecast(t, 60_000, 10, ctx);
        expect(calls).toBe(before);
        expect(b.points).toEqual(a.points);
        expect(b.method).toBe(a.method);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(600);
  });
});
