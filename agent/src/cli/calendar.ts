import { DateTime } from 'luxon';
import type { Register } from './command';
import { loadConfigFile } from '../app/config-load';
import { CalendarStore } from '../sources/calendar-store';
import { indexCalendar, protectionWindows } from '../calendar/rules';
import { targetCalendar } from '../calendar/target-calendar';

/** `calendar --config FILE [--at ISO] [--hours N]`: what the agent derives from its calendar at an instant. */
export const registerCalendar: Register = (program, io, exit) => {
  program
    .command('calendar')
    .description('show live weddings, phases, protections and the coming windows at an instant')
    .requiredOption('-c, --config <file>', 'config file (YAML)')
    .option('--at <iso>', 'instant to evaluate (default: now)')
    .option('--hours <n>', 'how far ahead to list wedding windows', '48')
    .action(async (opts: { config: string; at?: string; hours: string }) => {
      const loaded = loadConfigFile(opts.config);
      const at = opts.at ? DateTime.fromISO(opts.at, { setZone: true }) : DateTime.utc();
      if (!at.isValid) {
        io.err(`--at: "${opts.at}" is not an ISO-8601 instant`);
        exit.code = 2;
        return;
      }
      // Read as of --at: a past instant still sees the weddings live then (reading drops weddings already over).
      const store = new CalendarStore(loaded.config.calendar.sources, loaded.baseDir, () => Math.min(Date.now(), at.toMillis()));
      const index = indexCalendar(await store.refresh(), loaded.config.wedding);
      for (const s of store.status.values()) if (!s.ok) io.err(`calendar source ${s.location}: ${s.lastError}`);
      const t = at.toMillis();
      const result = {
        at: at.toISO(),
        // The same answers a tick's target view holds.
        targets: loaded.config.targets.map((target) => {
          const view = targetCalendar(index, target, t);
          return {
            id: target.id,
            peakSeason: view.peakSeason,
            live: view.live.map((l) => ({ id: l.day.wedding.id, day: l.day.dayIndex + 1, phase: l.phase, timezone: l.day.wedding.timezone })),
            saturdayProtection: view.protecting.length > 0,
          };
        }),
        windows: protectionWindows(index, t, t + Number(opts.hours) * 3600_000).map((w) => ({
          ...w,
          start: new Date(w.startMs).toISOString(),
          end: new Date(w.endMs).toISOString(),
        })),
      };
      io.out(JSON.stringify(result, null, 2));
    });
};
