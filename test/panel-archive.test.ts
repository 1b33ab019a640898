/**
 * The panel archive `npm run build` writes (grafana-plugin/dist-zip), unpacked and checked the way
 * Grafana's installer (`grafana cli --pluginUrl … plugins install`) and its plugin validator read it. No
 * Grafana server can run here, so this checks the layout those tools require rather than installing it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { PLUGIN_DIR, REPO, ensurePluginBuilt } from './support/panel-harness/processes';

const pkg = JSON.parse(readFileSync(join(PLUGIN_DIR, 'package.json'), 'utf8'));
const ID = JSON.parse(readFileSync(join(PLUGIN_DIR, 'src', 'plugin.json'), 'utf8')).id;
const ZIP = join(PLUGIN_DIR, 'dist-zip', `${ID}-${pkg.version}.zip`);

let files: Record<string, Uint8Array> = {};
beforeAll(() => {
  ensurePluginBuilt();
  if (!existsSync(ZIP)) execFileSync('npm', ['run', 'build', '-w', 'grafana-plugin', '--silent'], { cwd: REPO, stdio: 'pipe' });
  files = unzipSync(readFileSync(ZIP));
}, 120_000);
const text = (name: string) => Buffer.from(files[`${ID}/${name}`]).toString('utf8');

describe('panel archive grafana-plugin/dist-zip/<id>-<version>.zip (npm run build; Grafana installer layout)', () => {
  test('one top folder named after the plugin id, holding plugin.json, module.js, README.md, CHANGELOG.md and LICENSE', () => {
    expect(new Set(Object.keys(files).map((f) => f.split('/')[0]))).toEqual(new Set([ID]));
    for (const required of ['plugin.json', 'module.js', 'README.md', 'CHANGELOG.md', 'LICENSE']) expect(text(required).length).toBeGreaterThan(0);
    expect(Object.keys(files).filter((f) => f.endsWith('.map'))).toEqual([]);
  });

  test('plugin.json: the id, the version of package.json, a grafanaDependency, and logos and screenshots that exist in the archive', () => {
    const plugin = JSON.parse(text('plugin.json'));
    expect(plugin).toMatchObject({ id: ID, type: 'app', info: { version: pkg.version }, includes: [{ type: 'panel', name: 'WedSync Scaling' }] });
    expect(plugin.dependencies.grafanaDependency).toMatch(/^>=\d+\.\d+\.\d+$/);
    const images = [...Object.values(plugin.info.logos as Record<string, string>), ...plugin.info.screenshots.map((s: { path: string }) => s.path)];
    expect(plugin.info.screenshots.length).toBeGreaterThan(0);
    for (const image of images) expect(files[`${ID}/${image}`]?.length).toBeGreaterThan(0);
  });

  test('the panel is nested in the app (panels/scaling: its plugin.json, module.js and logo), as Grafana discovers nested plugins', () => {
    const panel = JSON.parse(text('panels/scaling/plugin.json'));
    expect(panel).toMatchObject({ id: 'wedsync-scaling-panel', type: 'panel', info: { version: pkg.version } });
    expect(text('panels/scaling/module.js')).toMatch(/^define\(/);
    for (const logo of Object.values(panel.info.logos as Record<string, string>)) expect(files[`${ID}/panels/scaling/${logo}`]?.length).toBeGreaterThan(0);
  });

  test('the CHANGELOG in the archive has an entry for this version, and module.js is the AMD module Grafana loads', () => {
    expect(text('CHANGELOG.md')).toContain(`## ${pkg.version}`);
    expect(text('module.js')).toMatch(/^define\(/);
  });
});
