/**
 * GET /status is what the panel polls and what the load target is about; building and serialising 20
 * targets costs ~150 µs, and the answer only changes when a tick ends or an override comes or goes. So
 * the serialised targets and calendar are kept until one of those happens, and for at most `maxAgeMs`
 * of real time (a bound on staleness if anything else edits the state between ticks). The agent header
 * (with `now`) and the sinks are built fresh on every request.
 */
import type { AgentState } from '../state';
import { agentDto, calendarSourcesDto, targetStatusDto, fleetDto } from './dto';
import type { SinkHealth } from './contract';

interface Entry {
  ticks: number;
  lastTickMs: number | null;
  overrides: unknown;
  overrideCount: number;
  calendarSources: unknown;
  /** Agent-clock instant at which an override shown expires (the body must change then). */
  validUntilMs: number;
  builtAtRealMs: number;
  targetsJson: string;
  calendarJson: string;
}

export class StatusCache {
  private entry: Entry | null = null;

  constructor(
    private readonly state: AgentState,
    private readonly maxAgeMs = 250,
    private readonly realNow: () => number = () => performance.now(),
  ) {}

  /** The JSON body of GET /status at agent-clock instant `nowMs`. */
  body(nowMs: number, sinks: SinkHealth[]): string {
    const s = this.state;
    let e = this.entry;
    const real = this.realNow();
    if (
      !e ||
      e.ticks !== s.info.ticks ||
      e.lastTickMs !== s.info.lastTickMs ||
      e.overrides !== s.overrides ||
      e.overrideCount !== s.overrides.length ||
      e.calendarSources !== s.calendarSources ||
      nowMs >= e.validUntilMs ||
      real - e.builtAtRealMs > this.maxAgeMs
    ) {
      const active = s.activeOverrides(nowMs);
      e = this.entry = {
        ticks: s.info.ticks,
        lastTickMs: s.info.lastTickMs,
        overrides: s.overrides,
        overrideCount: s.overrides.length,
        calendarSources: s.calendarSources,
        validUntilMs: active.reduce((m, o) => Math.min(m, o.untilMs), Infinity),
        builtAtRealMs: real,
        targetsJson: JSON.stringify([...s.targets.values()].map((t) => targetStatusDto(t, s, nowMs))),
        calendarJson: JSON.stringify(calendarSourcesDto(s)),
      };
    }
    return `{"agent":${JSON.stringify(agentDto(s.info, nowMs))},"targets":${e.targetsJson},"sinks":${JSON.stringify(sinks)},"calendar":${e.calendarJson},"fleet":${JSON.stringify(fleetDto(s))}}`;
  }
}
