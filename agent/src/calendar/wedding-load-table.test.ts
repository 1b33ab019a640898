import { weddingRulesSchema } from '../config/schema';
import type { Wedding } from './model';
import { expectedWeddingLoad, indexCalendar } from './rules';
import { WeddingLoadTable } from './wedding-load-table';

const rules = weddingRulesSchema.parse({});
const MIN = 60_000;
const wedding = (w: Partial<Wedding> & Pick<Wedding, 'id' | 'start' | 'timezone'>): Wedding => ({
  title: 'test',
  days: 1,
  guests: 120,
  tradition: 'british',
  vendors: 5,
  ...w,
});

// Overlapping days in three zones, a three-day celebration across the end of summer time, a wedding that
// starts before the table and one that ends after it, and a start off the minute.
const calendar = {
  weddings: [
    wedding({ id: 'a', start: '2027-10-29T14:00:00+01:00', timezone: 'Europe/London', days: 3, guests: 300, tradition: 'indian' }),
    wedding({ id: 'b', start: '2027-10-30T15:30:00+01:00', timezone: 'Europe/London', guests: 90 }),
    wedding({ id: 'c', start: '2027-10-30T12:00:00-04:00', timezone: 'America/New_York', guests: 210, tradition: 'nigerian' }),
    wedding({ id: 'd', start: '2027-10-28T23:00:00+05:30', timezone: 'Asia/Kolkata', guests: 500, tradition: 'indian' }),
    wedding({ id: 'e', start: '2027-11-01T20:00:30Z', timezone: 'UTC', guests: 60 }),
  ],
};
const index = indexCalendar(calendar, rules);
const start = Date.parse('2027-10-29T00:00:00Z');
const steps = 4 * 1440;

describe('WeddingLoadTable', () => {
  test.each([[[]], [['Europe/London']], [['America/New_York', 'Asia/Kolkata']]])(
    'equals the calendar to the bit at every minute (zones %j)',
    (zones: string[]) => {
      const table = new WeddingLoadTable(index, zones, start, MIN, steps);
      expect(table.weddingFree).toBe(false);
      let nonZero = 0;
      for (let k = -30; k < steps + 30; k++) {
        const t = start + k * MIN;
        const want = expectedWeddingLoad(index, t, zones);
        expect(Object.is(table.at(t), want) ? 'same' : `${new Date(t).toISOString()}: ${table.at(t)} ≠ ${want}`).toBe('same');
        if (want > 0) nonZero++;
      }
      expect(nonZero).toBeGreaterThan(300);
      // Off the grid: the calendar itself answers.
      const off = Date.parse('2027-10-30T14:59:30Z');
      expect(table.at(off)).toBe(expectedWeddingLoad(index, off, zones));
    },
  );

  test('no wedding in the target zones: weddingFree, 0 everywhere, nothing stored', () => {
    const table = new WeddingLoadTable(index, ['Australia/Sydney'], start, MIN, steps);
    expect(table.weddingFree).toBe(true);
    expect(table.at(start + 900 * MIN)).toBe(0);
    const empty = new WeddingLoadTable(indexCalendar({ weddings: [] }, rules), [], start, MIN, steps);
    expect(empty.weddingFree).toBe(true);
  });
});
