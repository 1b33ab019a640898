/**
 * The calendar store against a real HTTP server on 127.0.0.1 (issue 24): one bad event never takes a
 * source down, a repeated id keeps both weddings, and a URL's credentials are used but never shown.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CalendarStore, httpRequestOf } from './calendar-store';

const ics = (...events: string[][]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', ...events.flat(), 'END:VCALENDAR'].join('\r\n');
const ev = (uid: string, start: string, ...extra: string[]) => ['BEGIN:VEVENT', `UID:${uid}`, `DTSTART;TZID=Europe/London:${start}`, ...extra, 'END:VEVENT'];
const NOW = Date.parse('2027-06-01T00:00:00Z');

describe('CalendarStore with feeds as they come (real HTTP server on 127.0.0.1)', () => {
  let server: Server;
  let port = 0;
  let body = '';
  let seen: { url: string; headers: IncomingHttpHeaders } | null = null;
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen = { url: req.url ?? '', headers: req.headers };
      res.end(req.headers.authorization === `Basic ${Buffer.from('planner:p@ss word').toString('base64')}` ? body : 'BEGIN:VCALENDAR\r\nEND:VCALENDAR');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('keeps a source in force when one event is bad: counts it, names it, and applies the others (defect 2)', async () => {
    body = ics(
      ev('w1', '20270605T140000', 'X-WEDSYNC-GUESTS:100'),
      ev('w2', '20270605T150000', 'X-WEDSYNC-GUESTS:lots'),
      ev('w3', '20270612T140000', 'X-WEDSYNC-GUESTS:90'),
      ev('w3', '20270619T140000', 'X-WEDSYNC-GUESTS:80'),
    );
    const location = `http://planner:p%40ss%20word@127.0.0.1:${port}/feed.ics?key=topsecret&cal=main`;
    const store = new CalendarStore([{ format: 'ical', location }], '.', () => NOW);
    const cal = await store.refresh();
    expect(cal.weddings.map((w) => w.id)).toEqual(['w1', 'w3', 'w3']); // both weddings of a repeated id (defect 4)
    const shown = `http://***@127.0.0.1:${port}/feed.ics?key=***&cal=***`;
    expect([...store.status.keys()]).toEqual([shown]);
    expect(store.status.get(shown)).toMatchObject({
      location: shown,
      ok: true,
      weddings: 3,
      skippedEvents: 1,
      notedEvents: 1,
      issues: [
        expect.objectContaining({ event: 2, id: 'w2', skipped: true }),
        expect.objectContaining({ event: 4, id: 'w3', skipped: false, problem: 'duplicate id (also event 3): both weddings are kept' }),
      ],
    });
    // user:pass@ works (fetch refuses credentials in a URL): sent as Basic authentication, the query as given.
    expect(seen!.url).toBe('/feed.ics?key=topsecret&cal=main');
    expect(JSON.stringify(store.status.get(shown))).not.toMatch(/topsecret|planner|p%40ss/);
  });

  it('redacts the URL in the error a failed fetch reports', async () => {
    const location = `http://user:hunter2@127.0.0.1:1/x.ics?token=abc`;
    const store = new CalendarStore(
      [{ format: 'ical', location }],
      '.',
      () => NOW,
      () => Promise.reject(new Error(`fetch ${location} failed`)),
    );
    await store.refresh();
    const [st] = store.status.values();
    expect(st.lastError).toBe('fetch http://***@127.0.0.1:1/x.ics?token=*** failed');
  });

  it('sends bearerToken and configured headers; an Authorization header wins over the URL user info', () => {
    expect(httpRequestOf({ format: 'ical', location: 'https://cal.example/f.ics', bearerToken: 't0k', headers: { 'X-Api-Key': 'k' } })).toEqual({
      url: 'https://cal.example/f.ics',
      headers: { authorization: 'Bearer t0k', 'x-api-key': 'k' },
    });
    expect(httpRequestOf({ format: 'ical', location: 'https://a:b@cal.example/f.ics', headers: { Authorization: 'Token x' } })).toEqual({
      url: 'https://cal.example/f.ics',
      headers: { authorization: 'Token x' },
    });
  });
});
