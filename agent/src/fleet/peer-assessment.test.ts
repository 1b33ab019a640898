/** Which peers are lost (peer-assessment.ts): staleness, collapse, and the global store's own outage. Pure. */
import { assessPeers, initialFleetStatus, type AssessmentConfig, type FleetObservation, type FleetStatus } from './peer-assessment';

const S = 1000;
const T0 = 1_800_000_000_000;
const cfg: AssessmentConfig = { cluster: 'a', share: 1, peers: [{ cluster: 'b', share: 1 }], staleAfterMs: 30 * S, collapseRatio: 0.2 };
const seen = (atMs: number, clusters: Record<string, number>, extra: Partial<Extract<FleetObservation, { ok: true }>> = {}): FleetObservation => ({
  ok: true,
  atMs,
  lastSampleMs: clusters,
  servedLoad: {},
  expectedWeddingLoad: {},
  liveWeddings: {},
  ...extra,
});
const run = (...obs: FleetObservation[]): FleetStatus => obs.reduce((st, o) => assessPeers(cfg, st, o), initialFleetStatus(cfg));
const peer = (s: FleetStatus) => s.peers[0];

describe('assessPeers', () => {
  test('before any answer: data missing, the peer unknown', () => {
    expect(initialFleetStatus(cfg)).toMatchObject({ dataOk: false, peers: [{ cluster: 'b', health: 'unknown' }] });
  });

  test('both clusters fresh: the peer is up', () => {
    const s = run(seen(T0, { a: T0 - S, b: T0 - 2 * S }));
    expect(s).toMatchObject({ dataOk: true, error: null, checkedAtMs: T0 });
    expect(peer(s)).toMatchObject({ health: 'up', lastSeenMs: T0 - 2 * S, lostSinceMs: null });
  });

  test('the peer silent past the staleness bound: lost, since the first round that saw it so', () => {
    const s1 = run(seen(T0, { a: T0, b: T0 }), seen(T0 + 20 * S, { a: T0 + 20 * S, b: T0 }));
    expect(peer(s1).health).toBe('up'); // 20 s: within the bound
    const s2 = assessPeers(cfg, s1, seen(T0 + 31 * S, { a: T0 + 31 * S, b: T0 }));
    expect(peer(s2)).toMatchObject({ health: 'lost', lostSinceMs: T0 + 31 * S, reason: 'its last wedsync_agent_info sample is 31 s old' });
    const s3 = assessPeers(cfg, s2, seen(T0 + 40 * S, { a: T0 + 40 * S }));
    expect(peer(s3)).toMatchObject({ health: 'lost', lostSinceMs: T0 + 31 * S });
  });

  test('a peer never seen is lost once watching has lasted the staleness bound', () => {
    expect(peer(run(seen(T0, { a: T0 }), seen(T0 + 29 * S, { a: T0 + 29 * S }))).health).toBe('up');
    expect(peer(run(seen(T0, { a: T0 }), seen(T0 + 31 * S, { a: T0 + 31 * S }))).reason).toMatch(
      /no wedsync_agent_info\{cluster="b"\} in the global store for 31 s/,
    );
  });

  test('served load collapsed while its weddings are live: lost', () => {
    const s = run(seen(T0, { a: T0, b: T0 }, { servedLoad: { b: 30 }, expectedWeddingLoad: { b: 400 }, liveWeddings: { b: 3 } }));
    expect(peer(s)).toMatchObject({ health: 'lost', reason: 'it serves 30.0 while its 3 live wedding(s) should bring 400 (below 20 %)' });
  });

  test('low load without live weddings is not a collapse', () => {
    expect(peer(run(seen(T0, { a: T0, b: T0 }, { servedLoad: { b: 1 }, expectedWeddingLoad: { b: 400 }, liveWeddings: { b: 0 } }))).health).toBe('up');
  });

  test('the peer back: up again, lostSince cleared', () => {
    const lost = run(seen(T0, { a: T0, b: T0 }), seen(T0 + 40 * S, { a: T0 + 40 * S }));
    expect(peer(assessPeers(cfg, lost, seen(T0 + 41 * S, { a: T0 + 41 * S, b: T0 + 41 * S })))).toMatchObject({ health: 'up', lostSinceMs: null });
  });

  test('a failed query is missing data: the peers keep their health (no loss declared, none cleared)', () => {
    const up = run(seen(T0, { a: T0, b: T0 }));
    const down = assessPeers(cfg, up, { ok: false, atMs: T0 + 60 * S, error: 'global store query failed: timeout after 5s' });
    expect(down).toMatchObject({ dataOk: false, error: 'global store query failed: timeout after 5s', checkedAtMs: T0 });
    expect(peer(down).health).toBe('up');
    const lost = run(seen(T0, { a: T0, b: T0 }), seen(T0 + 40 * S, { a: T0 + 40 * S }));
    expect(peer(assessPeers(cfg, lost, { ok: false, atMs: T0 + 50 * S, error: 'x' })).health).toBe('lost');
  });

  test('an answer without fresh series from this very cluster is the store lagging, not every peer lost', () => {
    const up = run(seen(T0, { a: T0, b: T0 }));
    const s = assessPeers(cfg, up, seen(T0 + 60 * S, { a: T0 }));
    expect(s.dataOk).toBe(false);
    expect(s.error).toMatch(/no fresh wedsync_agent_info\{cluster="a"\}/);
    expect(peer(s).health).toBe('up');
  });
});
