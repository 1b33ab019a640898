import { indexCalendar } from '../../calendar/rules';
import { weddingRulesSchema } from '../../config/schema';
import type { Override } from '../../plan/types';
import { AgentState } from '../../state';
import { InMemoryKubeApi } from './in-memory-kube-api';
import { OVERRIDES_ANNOTATION, OverrideStore } from './override-store';
import { target } from './__fixtures__/actuator';

const T0 = Date.UTC(2026, 5, 13, 12);
const t = target('shop-api');
const override = (id: string, untilMs = T0 + 3600_000): Override => ({
  id, targetId: t.id, type: 'floor', replicas: 6, untilMs, untilWeddingEnds: false, reason: 'first dance', author: 'ops', createdAtMs: T0,
});

function replica(api: InMemoryKubeApi, clock: () => number) {
  const state = new AgentState(
    { version: 't', cluster: 'c', mode: 'act', leader: true, startedAtMs: T0, lastTickMs: null, lastTickDurationMs: null, ticks: 0, ready: false },
    [t],
    indexCalendar({ weddings: [] }, weddingRulesSchema.parse({})),
  );
  return { state, store: new OverrideStore(api, [t], state, clock) };
}

describe('OverrideStore', () => {
  test('overrides written on one replica survive a restart and reach the other replica; removals too', async () => {
    let now = T0;
    const api = new InMemoryKubeApi();
    api.addWorkload(t.kubernetes, { specReplicas: 3 });
    const a = replica(api, () => now);
    const b = replica(api, () => now);
    a.state.overrides.push(override('o1'));
    await a.store.sync();
    const annotation = api.workloads.get('Deployment/shop/shop-api')!.annotations[OVERRIDES_ANNOTATION];
    expect(JSON.parse(annotation)).toEqual([override('o1')]);

    await b.store.sync(); // another replica, or this one after a restart: loads it
    expect(b.state.overrides).toEqual([override('o1')]);

    b.state.overrides.push(override('o2'));
    await b.store.sync();
    await a.store.sync();
    expect(a.state.overrides.map((o) => o.id).sort()).toEqual(['o1', 'o2']);

    a.state.overrides = a.state.overrides.filter((o) => o.id !== 'o1');
    await a.store.sync();
    await b.store.sync();
    expect(b.state.overrides.map((o) => o.id)).toEqual(['o2']);
    now += 2 * 3600_000; // expired overrides vanish from the annotation too
    await a.store.sync();
    expect(api.workloads.get('Deployment/shop/shop-api')!.annotations[OVERRIDES_ANNOTATION]).toBeUndefined();
    expect(a.state.overrides).toEqual([]);
  });

  test('no write when nothing changed; a 409 re-reads and merges', async () => {
    const api = new InMemoryKubeApi();
    api.addWorkload(t.kubernetes, { specReplicas: 3 });
    const a = replica(api, () => T0);
    a.state.overrides.push(override('o1'));
    await a.store.sync();
    await a.store.sync();
    expect(api.calls.filter((c) => c.method === 'patchWorkloadAnnotations')).toHaveLength(1);
    a.state.overrides.push(override('o3'));
    api.failNext('patchWorkloadAnnotations', 409);
    await a.store.sync();
    expect(JSON.parse(api.workloads.get('Deployment/shop/shop-api')!.annotations[OVERRIDES_ANNOTATION]).map((o: Override) => o.id)).toEqual(['o1', 'o3']);
  });

  test('malformed annotation entries are dropped, never applied; a failing cluster is counted and keeps local overrides', async () => {
    const api = new InMemoryKubeApi();
    api.addWorkload(t.kubernetes, { specReplicas: 3, annotations: { [OVERRIDES_ANNOTATION]: JSON.stringify([{ id: 'bad', targetId: 'shop-api', type: 'pin', replicas: -3, untilMs: T0 + 1e6, reason: 'x' }, override('ok')]) } });
    const a = replica(api, () => T0);
    await a.store.sync();
    expect(a.state.overrides.map((o) => o.id)).toEqual(['ok']);
    a.state.overrides.push(override('local'));
    api.failNext('readWorkload', 403);
    await a.store.sync();
    expect(a.store.failures).toBe(1);
    expect(a.state.overrides.map((o) => o.id)).toEqual(['ok', 'local']);
  });
});

describe('OverrideStore read-only (dry-run and shadow)', () => {
  test('loads what the cluster holds and keeps local overrides, but never writes', async () => {
    const api = new InMemoryKubeApi();
    api.addWorkload(t.kubernetes, { specReplicas: 3, annotations: { [OVERRIDES_ANNOTATION]: JSON.stringify([override('remote')]) } });
    const a = replica(api, () => T0);
    const store = new OverrideStore(api, [t], a.state, () => T0, { readOnly: true });
    a.state.overrides.push(override('local'));
    await store.sync();
    await store.sync();
    expect(a.state.overrides.map((o) => o.id).sort()).toEqual(['local', 'remote']);
    expect(api.calls.filter((c) => c.method === 'patchWorkloadAnnotations')).toHaveLength(0);
  });
});
