/** deployFreezeOf: since, until (chained through back-to-back protected windows) and the weddings. */
import { configSchema } from '../app/config-schema';
import type { Wedding } from './model';
import { indexCalendar } from './rules';
import { targetCalendar } from './target-calendar';

const rules = configSchema.parse({
  sources: { s: { type: 'simulator' } },
  targets: [{ id: 'a', kubernetes: { namespace: 'n', name: 'a' }, load: { source: 's', query: 'q' }, capacityPerPod: 1, maxReplicas: 2 }],
}).wedding;
const wedding = (id: string, start: string, timezone = 'Europe/London', days = 1): Wedding => ({
  id,
  title: id,
  start,
  timezone,
  days,
  guests: 100,
  tradition: 'british',
  vendors: 1,
});
const freezeAt = (weddings: Wedding[], at: string, timezones: string[] = []) => {
  const index = indexCalendar({ weddings }, rules);
  return { f: targetCalendar(index, { timezones, region: 'uk' }, Date.parse(at)).freeze, day: (id: string) => index.days.find((d) => d.wedding.id === id)! };
};

describe('deployFreezeOf', () => {
  it('is not frozen without a live wedding on a protected day (a live Sunday wedding does not freeze)', () => {
    expect(freezeAt([wedding('sun', '2027-06-06T14:00:00+01:00')], '2027-06-06T15:00:00Z').f).toEqual({
      frozen: false,
      sinceMs: null,
      untilMs: null,
      weddings: [],
    });
    expect(freezeAt([wedding('sat', '2027-06-05T14:00:00+01:00')], '2027-06-12T15:00:00Z').f.frozen).toBe(false);
  });

  it('a live Saturday wedding freezes from its window start to its window end', () => {
    const { f, day } = freezeAt([wedding('sat', '2027-06-05T14:00:00+01:00')], '2027-06-05T15:00:00Z');
    expect(f).toMatchObject({ frozen: true, sinceMs: day('sat').windowStartMs, untilMs: day('sat').windowEndMs });
    expect(f.weddings.map((l) => l.day.wedding.id)).toEqual(['sat']);
  });

  it('until chains through a protected window that starts before the live one ends, but not through an unprotected one', () => {
    const early = wedding('early', '2027-06-05T11:00:00+01:00');
    const late = wedding('late', '2027-06-05T19:00:00+01:00'); // starts before `early` ends, not yet live at 12:00Z
    const sunday = wedding('sunday', '2027-06-06T00:30:00+01:00'); // not protected: no extension through it
    const { f, day } = freezeAt([early, late, sunday], '2027-06-05T12:00:00Z');
    expect(day('late').windowStartMs).toBeLessThan(day('early').windowEndMs);
    expect(day('sunday').windowStartMs).toBeLessThan(day('late').windowEndMs); // overlaps, yet does not extend
    expect(f.untilMs).toBe(day('late').windowEndMs);
    expect(f.weddings.map((l) => l.day.wedding.id)).toEqual(['early']);
  });

  it('only the time zones the target serves count', () => {
    expect(freezeAt([wedding('sat', '2027-06-05T14:00:00+01:00')], '2027-06-05T15:00:00Z', ['Asia/Tokyo']).f.frozen).toBe(false);
  });
});
