import { InMemoryScaler } from './in-memory-scaler';
import { ModeScaler, type WouldScale } from './mode-scaler';
import { decision, target } from './kubernetes/__fixtures__/actuator';

describe('ModeScaler', () => {
  const t = target('shop-api', { minReplicas: 3 });

  test.each([
    ['act', 7, 1],
    ['dry-run', 3, 0],
    ['shadow', 3, 0],
  ] as const)('%s: the cluster ends at %d replicas', async (mode, replicas, applied) => {
    const inner = new InMemoryScaler(() => 0);
    const applySpy = jest.spyOn(inner, 'apply');
    const held: WouldScale[] = [];
    const scaler = new ModeScaler(inner, mode, (w) => held.push(w));
    const result = await scaler.apply(t, decision(t.id, 3, 7));
    expect(await scaler.read(t)).toMatchObject({ replicas });
    expect(applySpy).toHaveBeenCalledTimes(applied);
    expect(result).toEqual(mode === 'act' ? { ok: true, changed: true, replicas: 7 } : { ok: true, changed: false, replicas: 3 });
    expect(held).toEqual(mode === 'act' ? [] : [{ targetId: t.id, atMs: 0, from: 3, to: 7, reasons: ['saturday'] }]);
    expect(scaler.kind).toBe(mode === 'act' ? 'in-memory' : `in-memory:${mode}`);
  });
});
