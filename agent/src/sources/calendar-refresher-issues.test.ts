/** A skipped calendar event is named in a warning and counted in a metric (issue 24, defect 2). */
import { Writable } from 'node:stream';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { configSchema } from '../app/config-schema';
import { indexCalendar } from '../calendar/rules';
import { createAgentMetrics } from '../metrics/agent-metrics';
import { AgentState } from '../state';
import { createLogger } from '../util/logger';
import { CalendarRefresher } from './calendar-refresher';
import { CalendarStore } from './calendar-store';

const T0 = Date.parse('2027-06-01T12:00:00Z');

it('names the skipped event in the warning and counts it in wedsync_agent_calendar_events_skipped; the rest is in force', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wedsync-refresh-'));
  const ev = (uid: string, guests: string) => [
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTART;TZID=Europe/London:20270605T140000',
    `X-WEDSYNC-GUESTS:${guests}`,
    'END:VEVENT',
  ];
  writeFileSync(join(dir, 'feed.ics'), ['BEGIN:VCALENDAR', ...ev('good', '100'), ...ev('bad', 'Bloom & Co (flowers)'), 'END:VCALENDAR'].join('\r\n'));
  const config = configSchema.parse({
    sources: { p: { type: 'push' } },
    calendar: { sources: [{ format: 'ical', location: 'feed.ics' }] },
    targets: [{ id: 'api', kubernetes: { namespace: 'n', name: 'api' }, load: { source: 'p', query: 'api' }, capacityPerPod: 10, maxReplicas: 50 }],
  });
  const state = new AgentState(
    { version: 't', cluster: 'c', mode: 'dry-run', leader: true, startedAtMs: T0, lastTickMs: null, lastTickDurationMs: null, ticks: 0, ready: false },
    config.targets,
    indexCalendar({ weddings: [] }, config.wedding),
  );
  const registry = new Registry();
  const metrics = createAgentMetrics(state, registry);
  const lines: string[] = [];
  const logger = createLogger('warn', new Writable({ write: (chunk: Buffer, _e, cb) => (lines.push(chunk.toString()), cb()) }));
  const refresher = new CalendarRefresher({
    config,
    state,
    provider: new CalendarStore(config.calendar.sources, dir, () => T0),
    metrics,
    logger,
    clock: () => T0,
  });
  await refresher.refresh(T0);
  expect(state.calendar.days.map((d) => d.wedding.id)).toEqual(['good']);
  const warning = lines
    .map((l) => JSON.parse(l) as { msg: string; events?: string; skippedEvents?: number })
    .find((l) => l.msg.startsWith('calendar events that cannot be read were skipped'));
  expect(warning).toMatchObject({ skippedEvents: 1, events: expect.stringMatching(/^event 2 \(bad\): guests: .*\(got "Bloom & Co \(flowers\)"\)/) });
  expect(await registry.getSingleMetricAsString('wedsync_agent_calendar_events_skipped')).toMatch(
    /wedsync_agent_calendar_events_skipped\{source="feed.ics"\} 1/,
  );
});
