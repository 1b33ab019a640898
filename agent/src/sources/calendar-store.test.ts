import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { CalendarStore } from './calendar-store';

const EXAMPLES = join(__dirname, '..', '..', 'examples');

describe('CalendarStore', () => {
  let server: Server;
  let body = '';
  let status = 200;
  let url = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.statusCode = status;
      res.end(req.headers.authorization === 'Bearer s3cret' ? body : 'unauthorised');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/weddings.json`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('loads files and HTTP URLs, merges them, and keeps the last good calendar when a source fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wedsync-cal-'));
    writeFileSync(join(dir, 'local.ics'), readFileSync(join(EXAMPLES, 'weddings.ics')));
    body = readFileSync(join(EXAMPLES, 'weddings.json'), 'utf8');
    let now = 1000;
    const store = new CalendarStore(
      [
        { format: 'json', location: url, bearerToken: 's3cret' },
        { format: 'ical', location: 'local.ics' },
      ],
      dir,
      () => now,
    );
    let cal = await store.refresh();
    expect(cal.weddings.map((w) => w.id)).toEqual(['w-0001', 'w-0002', 'w-0003', 'w-0004']);
    expect(store.status.get(url)).toMatchObject({ ok: true, weddings: 2, lastSuccessMs: 1000, lastError: null });

    now = 2000;
    status = 500;
    writeFileSync(join(dir, 'local.ics'), 'garbage');
    cal = await store.refresh();
    expect(cal.weddings).toHaveLength(4); // nothing forgotten
    expect(store.status.get(url)).toMatchObject({ ok: false, lastSuccessMs: 1000, lastError: 'HTTP 500' });
    expect(store.status.get('local.ics')).toMatchObject({ ok: false, lastError: expect.stringMatching(/not iCalendar/) });

    // `{"weddings":[]}` replacing a full calendar is held, not applied: every upcoming wedding would go.
    status = 200;
    body = '{"weddings":[]}';
    cal = await store.refresh();
    expect(cal.weddings.map((w) => w.id)).toEqual(['w-0001', 'w-0002', 'w-0003', 'w-0004']);
    const held = store.status.get(url)!.held!;
    expect(held).toEqual({ fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/), upcomingBefore: 2, upcomingAfter: 0, weddings: 0, sinceMs: 2000 });
    expect(store.status.get(url)).toMatchObject({ ok: true, weddings: 2, lastError: null });
    expect(store.confirm(url, '0000000000000000')).toEqual({ outcome: 'mismatch', held });
    expect(store.confirm('elsewhere.json', held.fingerprint)).toEqual({ outcome: 'unknown-source' });
    expect(store.confirm('local.ics', held.fingerprint)).toEqual({ outcome: 'nothing-held' });
    expect(store.confirm(url, held.fingerprint)).toEqual({ outcome: 'applied', held });
    expect(store.calendar().weddings.map((w) => w.id)).toEqual(['w-0003', 'w-0004']);
    expect(store.status.get(url)).toMatchObject({ ok: true, weddings: 0, held: null });
    // The confirmed update read again is simply the calendar in force.
    cal = await store.refresh();
    expect(cal.weddings.map((w) => w.id)).toEqual(['w-0003', 'w-0004']);
    expect(store.status.get(url)!.held).toBeNull();
  });

  describe('an update that loses most upcoming weddings is held (calendar.maxDropFraction)', () => {
    const DAY = 86_400_000;
    const NOW = Date.parse('2027-05-01T12:00:00Z');
    const wedding = (id: string, daysAhead: number) => ({
      id,
      title: id,
      start: new Date(NOW + daysAhead * DAY).toISOString().replace('Z', '+00:00'),
      timezone: 'UTC',
      days: 1,
      guests: 100,
      tradition: 'british',
      vendors: 1,
    });
    const json = (...weddings: Array<ReturnType<typeof wedding>>) => JSON.stringify({ weddings });
    const four = [wedding('a', 3), wedding('b', 10), wedding('c', 17), wedding('d', 24)];

    it('from a file: a small change applies, a drop past the fraction is held, and a later different update needs its own confirmation', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'wedsync-cal-drop-'));
      const file = join(dir, 'w.json');
      writeFileSync(file, json(...four));
      let now = NOW;
      const store = new CalendarStore([{ format: 'json', location: 'w.json' }], dir, () => now, fetch, 10_000, 1024 * 1024, 0.5);
      expect((await store.refresh()).weddings).toHaveLength(4);
      // One cancellation (25 %): applied.
      writeFileSync(file, json(...four.slice(0, 3)));
      expect((await store.refresh()).weddings.map((w) => w.id)).toEqual(['a', 'b', 'c']);
      // Weddings that are over do not count: dropping a past one and one upcoming of three is 1/3.
      now = NOW + 5 * DAY;
      writeFileSync(file, json(wedding('b', 10)));
      expect((await store.refresh()).weddings.map((w) => w.id)).toEqual(['b']);
      writeFileSync(file, json(...four.slice(1)));
      await store.refresh();
      // Two of three upcoming gone (67 % > 50 %): held, the last good calendar stays.
      writeFileSync(file, json(wedding('b', 10)));
      expect((await store.refresh()).weddings.map((w) => w.id)).toEqual(['b', 'c', 'd']);
      const first = store.status.get('w.json')!.held!;
      expect(first).toMatchObject({ upcomingBefore: 3, upcomingAfter: 1, weddings: 1, sinceMs: now });
      // The same update read again stays held since the same instant; a different one replaces it.
      now += 60_000;
      await store.refresh();
      expect(store.status.get('w.json')!.held).toEqual(first);
      writeFileSync(file, '{"weddings":[]}');
      await store.refresh();
      const second = store.status.get('w.json')!.held!;
      expect(second).toMatchObject({ upcomingBefore: 3, upcomingAfter: 0, sinceMs: now });
      expect(second.fingerprint).not.toBe(first.fingerprint);
      expect(store.confirm('w.json', first.fingerprint)).toEqual({ outcome: 'mismatch', held: second });
      expect(store.calendar().weddings).toHaveLength(3);
      // The source recovers by itself: the held update is dropped, nothing to confirm.
      writeFileSync(file, json(...four.slice(1)));
      await store.refresh();
      expect(store.status.get('w.json')!.held).toBeNull();
      expect(store.confirm('w.json', second.fingerprint)).toEqual({ outcome: 'nothing-held' });
    });

    it('maxDropFraction 1 never holds', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'wedsync-cal-drop-'));
      writeFileSync(join(dir, 'w.json'), json(...four));
      const store = new CalendarStore([{ format: 'json', location: 'w.json' }], dir, () => NOW, fetch, 10_000, 1024 * 1024, 1);
      await store.refresh();
      writeFileSync(join(dir, 'w.json'), '{"weddings":[]}');
      expect((await store.refresh()).weddings).toEqual([]);
    });
  });

  it('reports a missing file without throwing', async () => {
    const store = new CalendarStore([{ format: 'json', location: 'missing.json' }], tmpdir(), () => 0);
    expect((await store.refresh()).weddings).toEqual([]);
    expect(store.status.get('missing.json')?.lastError).toMatch(/ENOENT/);
  });

  it('refuses a calendar over maxBytes before reading it, from a file and from a chunked HTTP answer, keeping the last good one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wedsync-cal-cap-'));
    const good = readFileSync(join(EXAMPLES, 'weddings.json'), 'utf8');
    writeFileSync(join(dir, 'w.json'), good);
    const big = createServer((_req, res) => {
      // No content-length: the cap has to hold while streaming.
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = 'x'.repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 64 && res.write(chunk)) sent++;
        if (sent >= 64) res.end();
        else res.once('drain', pump);
      };
      pump();
    });
    await new Promise<void>((r) => big.listen(0, '127.0.0.1', r));
    const bigUrl = `http://127.0.0.1:${(big.address() as AddressInfo).port}/huge.json`;
    try {
      const store = new CalendarStore(
        [
          { format: 'json', location: 'w.json' },
          { format: 'json', location: bigUrl },
        ],
        dir,
        () => 0,
        fetch,
        10_000,
        1024 * 1024,
      );
      let cal = await store.refresh();
      expect(cal.weddings).toHaveLength(2);
      expect(store.status.get(bigUrl)?.lastError).toMatch(/over calendar.maxBytes \(1048576\)/);
      writeFileSync(join(dir, 'w.json'), good + ' '.repeat(2 * 1024 * 1024));
      cal = await store.refresh();
      expect(cal.weddings).toHaveLength(2); // the last good file calendar stays
      expect(store.status.get('w.json')).toMatchObject({ ok: false, lastError: expect.stringMatching(/over calendar.maxBytes/) });
    } finally {
      await new Promise<void>((r) => big.close(() => r()));
    }
  });
});
