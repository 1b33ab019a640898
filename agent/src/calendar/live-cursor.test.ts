import { weddingRulesSchema } from '../config/schema';
import { CalendarIndex } from './calendar-index';
import { packCalendar } from './compact-calendar';
import { LiveCursor } from './live-cursor';
import type { Wedding } from './model';
import { indexCalendar, liveWeddings, weddingLoad } from './rules';
import { TargetCalendars, targetCalendar } from './target-calendar';

const rules = weddingRulesSchema.parse({});
const HOUR = 3_600_000;
const T0 = Date.parse('2027-06-04T00:00:00Z');
const zones = ['Europe/London', 'America/New_York', 'Asia/Kolkata'];

/** A deterministic pseudo-random sequence (no flaky tests). */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function weddings(n: number, rnd: () => number, prefix = 'w'): Wedding[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}${i}`,
    title: 't',
    // Ceremonies on whole minutes and on odd milliseconds, over a day and a half.
    start: new Date(T0 + Math.floor(rnd() * 36 * 60) * 60_000 + 16 * HOUR + (i % 3 === 0 ? 7 : 0)).toISOString(),
    timezone: zones[i % zones.length],
    days: 1 + (i % 2),
    guests: 50 + Math.floor(rnd() * 300),
    tradition: ['british', 'indian', 'greek'][i % 3],
    vendors: 3,
  }));
}

/** Instants a tick loop asks about: forward in steps, look-ahead scans, jumps back, odd milliseconds. */
function instants(rnd: () => number): number[] {
  const out: number[] = [];
  for (let now = T0 + 20 * HOUR; now < T0 + 50 * HOUR; now += 3 * 60_000) {
    out.push(now);
    for (let t = now + 120_000; t <= now + 720_000; t += 60_000) out.push(t);
    if (rnd() < 0.01) out.push(now + Math.floor(rnd() * 48 * HOUR) - 24 * HOUR + 1);
  }
  return out;
}

describe('LiveCursor', () => {
  it.each([
    ['one source, all zones', () => indexCalendar({ weddings: weddings(60, random(1)) }, rules), [] as string[]],
    ['one source, some zones', () => indexCalendar({ weddings: weddings(60, random(2)) }, rules), ['Europe/London', 'Asia/Kolkata']],
    [
      'two sources sharing ids',
      () => new CalendarIndex([packCalendar(weddings(40, random(3))), packCalendar([...weddings(20, random(4)), ...weddings(20, random(5), 'x')])], rules),
      ['America/New_York'],
    ],
  ])('answers exactly what liveWeddings and weddingLoad answer (%s)', (_name, build, tz) => {
    const index = build();
    const cursor = new LiveCursor(index, tz);
    let reused = 0;
    let previous = cursor.at(T0);
    for (const t of instants(random(9))) {
      const answer = cursor.at(t);
      const live = liveWeddings(index, t, tz);
      expect(answer.live).toEqual(live);
      expect(answer.load).toBe(weddingLoad(index, live));
      if (answer === previous) reused++;
      previous = answer;
    }
    // The point of it: most questions are answered without asking the calendar (here 60 weddings in 36 h).
    expect(reused).toBeGreaterThan(0.75 * instants(random(9)).length);
  });

  it('changes its answer at the exact millisecond a window opens, a phase changes or a window closes', () => {
    const start = Date.parse('2027-06-05T13:00:00Z');
    const index = indexCalendar(
      {
        weddings: [
          { id: 'a', title: 't', start: '2027-06-05T14:00:00+01:00', timezone: 'Europe/London', days: 1, guests: 100, tradition: 'british', vendors: 1 },
        ],
      },
      rules,
    );
    const cursor = new LiveCursor(index, []);
    // Every phase bound of the default rules (−2, 0, 1, 6, 8 h), approached and passed a millisecond at a time.
    for (const hours of [-2, 0, 1, 6, 8]) {
      const edge = start + hours * HOUR;
      for (let t = edge - 5; t <= edge + 5; t++) {
        const live = liveWeddings(index, t, []);
        expect(cursor.at(t).live).toEqual(live);
      }
    }
  });

  it('answers an empty calendar and a NaN instant', () => {
    const cursor = new LiveCursor(indexCalendar({ weddings: [] }, rules), []);
    expect(cursor.at(T0)).toEqual({ live: [], load: 0 });
    expect(cursor.at(NaN)).toEqual({ live: [], load: 0 });
    expect(cursor.at(T0 + 1)).toEqual({ live: [], load: 0 });
  });
});

describe('TargetCalendars', () => {
  it('gives what targetCalendar gives, tick after tick, and starts afresh on a new index', () => {
    const scope = { timezones: ['Europe/London', 'America/New_York'], region: 'uk' };
    const calendars = new TargetCalendars(scope);
    let index = indexCalendar({ weddings: weddings(50, random(7)) }, rules);
    for (let now = T0 + 14 * HOUR; now < T0 + 54 * HOUR; now += 5 * 60_000) {
      if (now === T0 + 34 * HOUR) index = indexCalendar({ weddings: weddings(50, random(8)) }, rules);
      const got = calendars.at(index, now);
      const want = targetCalendar(index, scope, now);
      const { expectedLoadAt: gotAt, ...gotFacts } = got;
      const { expectedLoadAt: wantAt, ...wantFacts } = want;
      expect(gotFacts).toEqual(wantFacts);
      for (let t = now; t <= now + 15 * 60_000; t += 60_000) expect(gotAt(t)).toBe(wantAt(t));
    }
  });
});
