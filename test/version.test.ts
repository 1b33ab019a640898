/**
 * One version for everything shipped: the agent package (and so the CLI's --version), the panel, the
 * image the Containerfile labels, the image tag the manifests deploy, the Helm chart, and the newest CHANGELOG entry.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const REPO = join(__dirname, '..');
const read = (path: string) => readFileSync(join(REPO, path), 'utf8');
const VERSION: string = JSON.parse(read('agent/package.json')).version;

describe('one version across the agent, panel, image, manifests and CHANGELOG', () => {
  test.each([
    ['grafana-plugin/package.json', () => JSON.parse(read('grafana-plugin/package.json')).version],
    ['Containerfile ARG VERSION (the image label)', () => /^ARG VERSION=(\S+)$/m.exec(read('Containerfile'))?.[1]],
    [
      'agent/deploy/base/deployment.yaml image tag',
      () => {
        const dep = parseAllDocuments(read('agent/deploy/base/deployment.yaml'))[0].toJS();
        return /^ghcr\.io\/wedsync\/wedsync-agent:(.+)$/.exec(dep.spec.template.spec.containers[0].image)?.[1];
      },
    ],
    ['charts/wedsync-agent/Chart.yaml version', () => parseAllDocuments(read('charts/wedsync-agent/Chart.yaml'))[0].toJS().version],
    [
      'charts/wedsync-agent/Chart.yaml appVersion (the image tag it deploys)',
      () => parseAllDocuments(read('charts/wedsync-agent/Chart.yaml'))[0].toJS().appVersion,
    ],
    ['CHANGELOG.md newest entry', () => /^## (\S+)/m.exec(read('CHANGELOG.md'))?.[1]],
  ])('%s is the agent version', (_where, versionOf) => {
    expect(versionOf()).toBe(VERSION);
  });

  test('the version is semver', () => {
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
  });
});
