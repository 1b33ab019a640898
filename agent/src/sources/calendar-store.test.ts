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

    status = 200;
    body = '{"weddings":[]}';
    cal = await store.refresh();
    expect(cal.weddings.map((w) => w.id)).toEqual(['w-0003', 'w-0004']);
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
      const store = new CalendarStore([{ format: 'json', location: 'w.json' }, { format: 'json', location: bigUrl }], dir, () => 0, fetch, 10_000, 1024 * 1024);
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
