/** Identity: providerID → provider, the region label, config first, and detection that never fails start-up. */
import { identityFromNodes, providerFromProviderId, resolveIdentity } from './identity';
import { detectFromNodes } from './node-detection';

const REGION = 'topology.kubernetes.io/region';

describe('identity', () => {
  test.each([
    ['aws:///eu-west-1a/i-0abc', 'eks'],
    ['gce://my-project/europe-west1-b/gke-node-1', 'gke'],
    ['azure:///subscriptions/x/resourceGroups/y/providers/Microsoft.Compute/virtualMachines/z', 'aks'],
    ['kind://docker/kind/kind-control-plane', 'other'],
    [undefined, 'other'],
  ])('providerID %s → %s', (id, provider) => {
    expect(providerFromProviderId(id)).toBe(provider);
  });

  test('most nodes decide; the legacy region label counts; nodes without either are ignored', () => {
    expect(
      identityFromNodes([
        { providerID: 'aws:///eu-west-1a/i-1', labels: { [REGION]: 'eu-west-1' } },
        { providerID: 'aws:///eu-west-1b/i-2', labels: { 'failure-domain.beta.kubernetes.io/region': 'eu-west-1' } },
        { labels: {} },
      ]),
    ).toEqual({ provider: 'eks', region: 'eu-west-1' });
    expect(identityFromNodes([])).toEqual({ provider: undefined, region: undefined });
  });

  test('config beats detection; nothing known → other / unknown', () => {
    expect(resolveIdentity({ cluster: 'c', provider: 'aks' }, { provider: 'eks', region: 'westeurope' })).toEqual({
      cluster: 'c',
      provider: 'aks',
      region: 'westeurope',
    });
    expect(resolveIdentity({ cluster: 'c' })).toEqual({ cluster: 'c', provider: 'other', region: 'unknown' });
  });

  test('detection: a 403 is "not detected" (the permission is optional), a hang times out, neither throws', async () => {
    const forbidden = Object.assign(new Error('forbidden'), { status: 403 });
    expect(await detectFromNodes(() => Promise.reject(forbidden), 1000)).toEqual({
      note: expect.stringMatching(/^no permission to list nodes \(optional: apply agent\/deploy\/addons\/node-identity/),
    });
    expect(await detectFromNodes(() => new Promise(() => {}), 20)).toEqual({ note: 'listing nodes timed out after 20 ms: not detected' });
    expect(await detectFromNodes(() => Promise.resolve([{ providerID: 'gce://p/z/n', labels: { [REGION]: 'us-central1' } }]), 1000)).toEqual({
      provider: 'gke',
      region: 'us-central1',
      note: null,
    });
  });
});
