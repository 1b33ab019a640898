import type { HpaSnapshot } from '../../contracts/kube-api';
import { resolveOwnership } from './ownership';

const ref = { kind: 'Deployment' as const, namespace: 'shop', name: 'api' };
const hpa = (name: string, over: Partial<HpaSnapshot> = {}): HpaSnapshot => ({
  namespace: 'shop',
  name,
  minReplicas: 2,
  maxReplicas: 20,
  targetKind: 'Deployment',
  targetName: 'api',
  ownerKinds: [],
  labels: {},
  ...over,
});

describe('resolveOwnership', () => {
  test.each<[string, HpaSnapshot[], string, RegExp | null]>([
    ['no HPA → the scale subresource', [], 'scale', null],
    ['an HPA for another workload is ignored', [hpa('other', { targetName: 'web' })], 'scale', null],
    ['an HPA in another namespace is ignored', [hpa('x', { namespace: 'blog' })], 'scale', null],
    ['one plain HPA → its floor', [hpa('api')], 'hpa', null],
    ['two HPAs → refused, naming both', [hpa('a'), hpa('b')], 'refused', /2 HorizontalPodAutoscalers \(a, b\)/],
    ['KEDA owner → refused', [hpa('keda-hpa-api', { ownerKinds: ['ScaledObject'] })], 'refused', /KEDA ScaledObject/],
    ['KEDA label → refused', [hpa('k', { labels: { 'scaledobject.keda.sh/name': 'api' } })], 'refused', /KEDA/],
    ['other controller owner → refused', [hpa('k', { ownerKinds: ['Rollout'] })], 'refused', /owned by Rollout/],
  ])('%s', (_name, hpas, kind, message) => {
    const o = resolveOwnership(ref, hpas);
    expect(o.kind).toBe(kind);
    if (message) expect(o.kind === 'refused' && o.error).toMatch(message);
  });
});
