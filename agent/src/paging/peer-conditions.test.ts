/** peer-cluster-lost: one page per lost peer, with the wedding-day severity of every kind, none on the store's own outage. */
import { fixtureState, FRIDAY_4PM, SATURDAY_4PM } from '../sinks/__fixtures__/condition-fixtures';
import type { FleetStatus, PeerStatus } from '../fleet/peer-assessment';
import { evaluateConditions, type ConditionOptions } from './conditions';

const opts: ConditionOptions = { cluster: 'test', unreachableAfterMs: 120_000, overloadUtilization: 1, overloadedAfterMs: 120_000 };
const peer = (cluster: string, health: PeerStatus['health']): PeerStatus => ({
  cluster,
  share: 1,
  health,
  lastSeenMs: null,
  lostSinceMs: health === 'lost' ? SATURDAY_4PM : null,
  reason: health === 'lost' ? 'its last wedsync_agent_info sample is 130 s old' : 'reporting',
});
const fleet = (peers: PeerStatus[], dataOk = true): FleetStatus => ({
  cluster: 'test',
  share: 1,
  dataOk,
  error: dataOk ? null : 'timeout',
  checkedAtMs: SATURDAY_4PM,
  watchingSinceMs: SATURDAY_4PM,
  peers,
});
const peerPages = (now: number, f: FleetStatus | null) =>
  evaluateConditions(
    fixtureState(now, (t, state) => {
      state.fleet = f;
      t.checkout.decision = { ...t.checkout.decision!, protections: ['peer_failover'] };
    }),
    opts,
    now,
    {},
  ).conditions.filter((c) => c.kind === 'peer-cluster-lost');

describe('peer-cluster-lost', () => {
  test('one page per lost peer, naming it and the targets whose floors went up; critical while weddings are live', () => {
    const [page, ...rest] = peerPages(SATURDAY_4PM, fleet([peer('eu-2', 'lost'), peer('eu-3', 'up')]));
    expect(rest).toEqual([]);
    expect(page).toMatchObject({ dedupKey: 'wedsync/test/peer-cluster-lost/eu-2', severity: 'critical', targets: ['checkout'], details: { peer: 'eu-2' } });
    expect(page.summary).toBe(
      "[test] peer cluster eu-2 lost (its last wedsync_agent_info sample is 130 s old); test raised its floors by the peer's share (checkout)",
    );
  });

  test('no wedding day: low urgency (warning), as for every kind', () => {
    expect(peerPages(Date.parse('2026-06-10T03:00:00Z'), fleet([peer('eu-2', 'lost')]))[0].severity).toBe('warning');
    expect(peerPages(FRIDAY_4PM, fleet([peer('eu-2', 'lost')]))[0].severity).toBe('critical');
  });

  test('no page when every peer is up, when no fleet is configured, or for an unknown peer', () => {
    expect(peerPages(SATURDAY_4PM, fleet([peer('eu-2', 'up'), peer('eu-3', 'unknown')]))).toEqual([]);
    expect(peerPages(SATURDAY_4PM, null)).toEqual([]);
  });
});
