/** Reading in slices (issue 24, defect 5): the same answer as in one go, and the event loop runs meanwhile. */
import { readCalendarInSlices } from './calendar-indexer';
import { indexCalendar } from '../calendar/rules';
import { parseJsonCalendar } from '../calendar/json-reader';
import { weddingRulesSchema } from '../config/schema';

const rules = weddingRulesSchema.parse({});
const weddings = Array.from({ length: 3000 }, (_, i) => ({
  id: `w${i}`,
  title: `T {"${i}"} \\ ]`,
  start: new Date(Date.UTC(2027, 0, 1) + i * 3_600_000).toISOString(),
  timezone: 'Europe/London',
  days: 1 + (i % 2),
  guests: i % 50,
}));

describe('calendars read and indexed in slices', () => {
  it('reads JSON entry by entry (braces and escapes inside strings) and lets timers run between slices', async () => {
    const text = JSON.stringify({ weddings });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const read = await readCalendarInSlices('json', text, 'big.json', {});
    clearInterval(timer);
    const index = indexCalendar(read, rules);
    expect(read.weddings).toHaveLength(3000);
    expect(read.weddings[7].title).toBe('T {"7"} \\ ]');
    const starts = index.days.map((d) => d.windowStartMs);
    expect(starts).toHaveLength(4500);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(ticks).toBeGreaterThan(0);
  });

  it('reads other shapes of the same format: other keys first, scalar entries (skipped), and refuses a truncated text', () => {
    const c = parseJsonCalendar(JSON.stringify({ version: 1, weddings: [5, weddings[0]] }), 'x.json');
    expect(c.weddings.map((w) => w.id)).toEqual(['w0']);
    expect(c.issues[0]).toMatchObject({ event: 1, skipped: true });
    expect(parseJsonCalendar(`{"weddings": [7, ${JSON.stringify(weddings[1])}], "generated": "now"}`, 'y.json').weddings.map((w) => w.id)).toEqual(['w1']);
    expect(() => parseJsonCalendar(`{"weddings": [${JSON.stringify(weddings[1]).slice(0, 30)}`, 'z.json')).toThrow(
      /z.json: not JSON: the text ends inside weddings\[0\]/,
    );
  });
});
