import { targetSchema } from '../../config/schema';
import type { Override } from '../../plan/types';
import { InMemoryKubeApi } from '../../../test-support/in-memory-kube-api';
import { OVERRIDES_ANNOTATION, readLegacyOverrides } from './legacy-override-annotation';

const T0 = Date.UTC(2026, 5, 13, 15);
const target = (id: string) =>
  targetSchema.parse({ id, kubernetes: { namespace: 'shop', name: id }, load: { source: 'sim', query: 'q' }, capacityPerPod: 50, maxReplicas: 40 });
const override = (id: string, targetId = 'api', untilMs = T0 + 3_600_000): Override => ({
  id,
  targetId,
  type: 'floor',
  replicas: 5,
  untilMs,
  untilWeddingEnds: false,
  reason: 'speeches',
  author: 'ops',
  createdAtMs: T0,
});

describe('readLegacyOverrides (the annotation earlier versions wrote)', () => {
  test("reads each target's live, well-formed overrides and never writes", async () => {
    const api = new InMemoryKubeApi();
    api.addWorkload(target('api').kubernetes, {
      specReplicas: 3,
      annotations: {
        [OVERRIDES_ANNOTATION]: JSON.stringify([
          override('ok'),
          override('expired', 'api', T0 - 1),
          override('other-target', 'web'),
          { id: 'bad', targetId: 'api', type: 'pin', replicas: -3, untilMs: T0 + 1e6, reason: 'x' },
          null,
        ]),
      },
    });
    api.addWorkload(target('web').kubernetes, { specReplicas: 3, annotations: { [OVERRIDES_ANNOTATION]: 'not json' } });
    expect(await readLegacyOverrides(api, [target('api'), target('web')], T0)).toEqual([override('ok')]);
    expect(api.calls.map((c) => c.method)).toEqual(['readWorkload', 'readWorkload']);
  });

  test('a target that cannot be read is counted and skipped', async () => {
    const api = new InMemoryKubeApi();
    api.addWorkload(target('api').kubernetes, { specReplicas: 3, annotations: { [OVERRIDES_ANNOTATION]: JSON.stringify([override('ok')]) } });
    let failures = 0;
    expect(await readLegacyOverrides(api, [target('api'), target('missing')], T0, { onFailure: () => failures++ })).toEqual([override('ok')]);
    expect(failures).toBe(1);
  });
});
