/**
 * The recorded path is the full replay: for candidates across every searched dimension (and a wider and
 * a narrower predictive window than the recording's own), the schedule played over one recording is
 * byte-identical to a full `replayAgent` with that candidate's settings. The trace has a Saturday
 * wedding (calendar floors, Saturday protection, the calendar-step rule), an unannounced surge (the
 * detector's onset) and a source outage (the fail-safe hold).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayConfig } from '../replay/replay-config';
import { replayAgent } from '../replay/run-replay';
import { readTrace, type Trace } from '../replay/trace';
import { writeSyntheticTrace } from '../../test-support/synthetic-trace';
import { recordInputs } from './recorded-inputs';
import { candidatePlan, playCandidate, RecordingGapError } from './recorded-planner';
import { candidateReplay } from './run-tune';
import type { Settings } from './search-space';

const dir = writeSyntheticTrace(join(mkdtempSync(join(tmpdir(), 'wedsync-recorded-')), 'trace'), { days: 4, surgeAtMinute: 3 * 1440 + 20 * 60 }).dir;
const base = readTrace(dir);
// A 25-minute source outage on the last evening.
const missing = new Uint8Array(base.demand.length);
missing.fill(1, 3 * 1440 + 18 * 60, 3 * 1440 + 18 * 60 + 25);
const trace: Trace = { ...base, missing };

const CANDIDATES: Settings[] = [
  {},
  { targetUtilization: 0.55, burstQuantile: 0.99, burstMemorySeconds: 21_600, predictiveWindowSeconds: 0 },
  { scaleDownStabilizationSeconds: 60, maxScaleUpPods: 2, maxScaleDownRatio: 0.2, surgeSlopeWindowSeconds: 300, predictiveWindowSeconds: 600 },
  { targetUtilization: 0.8, burstQuantile: 0, scaleDownStabilizationSeconds: 600, maxScaleUpPods: 8, surgeSlopeWindowSeconds: 60, predictiveWindowSeconds: 60 },
];

const planOf = (c: Settings) => {
  const r = candidateReplay({ id: 'replay', trace }, c);
  return { ...r, plan: candidatePlan(replayConfig(r.trace, r.user).config) };
};

describe('a candidate played over the recording', () => {
  const widest = planOf(CANDIDATES[2]);
  let recording: Awaited<ReturnType<typeof recordInputs>>;

  beforeAll(async () => {
    recording = await recordInputs({ trace: widest.trace, user: widest.user, windowSeconds: widest.plan.windowSeconds, podStartupSeconds: 180 });
  }, 120_000);

  test('the recording kept what the trace exercises: readings missing, anomalies, weddings, forecasts', () => {
    expect(recording.observed.some((v) => Number.isNaN(v))).toBe(true);
    expect(recording.anomalyKinds.length).toBeGreaterThan(0);
    expect(recording.calendars.some((c) => c.live.length > 0)).toBe(true);
    expect(recording.stepLoad).not.toBeNull();
    expect(recording.horizon).toBeGreaterThan(0);
  });

  test.each(CANDIDATES.map((c) => [JSON.stringify(c), c] as const))(
    '%s: byte-identical to its full replay',
    async (_, c) => {
      const { trace: t, user, plan } = planOf(c);
      const full = await replayAgent(t, { user });
      const played = playCandidate(recording, plan);
      expect(Buffer.from(played.buffer).equals(Buffer.from(full.replicas.buffer))).toBe(true);
      // Not trivially so: the schedule moves.
      expect(new Set(played).size).toBeGreaterThan(2);
    },
    120_000,
  );

  test('a candidate looking further ahead than the recording kept is refused, never played short', () => {
    expect(() => playCandidate({ ...recording, stepLoadCount: 2 }, widest.plan)).toThrow(RecordingGapError);
    expect(() => playCandidate({ ...recording, horizon: widest.plan.forecastSteps - 1 }, widest.plan)).toThrow(
      /asks for \d+ forecast points; the recording kept/,
    );
  });
});
