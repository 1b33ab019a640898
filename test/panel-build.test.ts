/**
 * The built plugin as Grafana loads it (no Grafana server: the files are checked the way Grafana reads
 * them): dist/module.js is an AMD module whose only dependencies are modules Grafana provides, and that
 * exports `plugin`; dist/plugin.json has its placeholders filled; the logo and README are there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLUGIN_DIST, ensurePluginBuilt } from './support/panel-harness/processes';

// What Grafana hands to plugins (create-plugin's externals); anything else would have to be bundled.
const GRAFANA_PROVIDED = new Set([
  'react',
  'react-dom',
  'react/jsx-runtime',
  '@grafana/data',
  '@grafana/ui',
  '@grafana/runtime',
  '@grafana/i18n',
  '@emotion/css',
  '@emotion/react',
  'lodash',
  'rxjs',
]);

beforeAll(() => ensurePluginBuilt(), 120_000);

describe('grafana-plugin/dist (npm run build)', () => {
  it('panels/scaling/module.js is an AMD module with only Grafana-provided dependencies and exports the panel plugin', () => {
    const code = readFileSync(join(PLUGIN_DIST, 'panels', 'scaling', 'module.js'), 'utf8');
    let deps: string[] = [];
    let exported: Record<string, unknown> | undefined;
    const stub = (name: string) => (name === '@grafana/data' ? { PanelPlugin: FakePanelPlugin } : new Proxy({}, { get: () => () => undefined }));
    const define = (d: string[], factory: (...m: unknown[]) => Record<string, unknown>) => {
      deps = d;
      exported = factory(...d.map(stub));
    };
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs the built AMD module the way Grafana's loader does
    new Function('define', code)(define);
    expect(deps.filter((d) => !GRAFANA_PROVIDED.has(d))).toEqual([]);
    expect(deps).toEqual(expect.arrayContaining(['react', '@grafana/data', '@grafana/ui']));
    expect(exported?.plugin).toBeInstanceOf(FakePanelPlugin);
    expect((exported!.plugin as FakePanelPlugin).optionPaths).toEqual(['targets', 'anomalyThreshold', 'timelineHours', 'readOnly', 'live']);
    expect(code.length).toBeLessThan(100_000); // React and @grafana/* are not bundled
  });

  it('module.js is the app: an AMD module of Grafana-provided dependencies exporting an AppPlugin with its configuration page', () => {
    const code = readFileSync(join(PLUGIN_DIST, 'module.js'), 'utf8');
    let deps: string[] = [];
    let exported: Record<string, unknown> | undefined;
    const stub = (name: string) => (name === '@grafana/data' ? { AppPlugin: FakeAppPlugin } : new Proxy({}, { get: () => () => undefined }));
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- runs the built AMD module the way Grafana's loader does
    new Function('define', code)((d: string[], factory: (...m: unknown[]) => Record<string, unknown>) => {
      deps = d;
      exported = factory(...d.map(stub));
    });
    expect(deps.filter((d) => !GRAFANA_PROVIDED.has(d))).toEqual([]);
    expect((exported?.plugin as FakeAppPlugin).pages).toEqual(['connection']);
  });

  it('plugin.json is the app with proxy routes that add the token server-side; writes need Editor', () => {
    const app = JSON.parse(readFileSync(join(PLUGIN_DIST, 'plugin.json'), 'utf8'));
    expect(app).toMatchObject({ id: 'wedsync-scaling-app', type: 'app', includes: [{ type: 'panel' }] });
    const routes = app.routes as Array<{ path: string; method: string; reqRole: string; url: string; headers: Array<{ name: string; content: string }> }>;
    expect(routes.map((r) => [r.method, r.path, r.reqRole])).toEqual([
      ['POST', 'api/v1/overrides', 'Editor'],
      ['DELETE', 'api/v1/overrides/*', 'Editor'],
      ['GET', 'api/v1/*', 'Viewer'],
    ]);
    for (const r of routes) {
      expect(r.url).toMatch(/^\{\{ \.JsonData\.agentUrl \}\}\/api\/v1/);
      expect(r.headers).toEqual([{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.agentToken }}' }]);
    }
  });

  it('panels/scaling/plugin.json is the panel, with version and date filled in and logos that exist', () => {
    const pluginJson = JSON.parse(readFileSync(join(PLUGIN_DIST, 'panels', 'scaling', 'plugin.json'), 'utf8'));
    expect(pluginJson).toMatchObject({ id: 'wedsync-scaling-panel', type: 'panel' });
    expect(pluginJson.info.version).toBe(JSON.parse(readFileSync(join(PLUGIN_DIST, '..', 'package.json'), 'utf8')).version);
    expect(pluginJson.info.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const logo of Object.values<string>(pluginJson.info.logos)) expect(existsSync(join(PLUGIN_DIST, 'panels', 'scaling', logo))).toBe(true);
    expect(readFileSync(join(PLUGIN_DIST, 'README.md'), 'utf8')).toContain('wedsync-scaling-panel');
  });
});

/** Records the app's configuration pages, standing in for @grafana/data's AppPlugin. */
class FakeAppPlugin {
  pages: string[] = [];
  addConfigPage(page: { id: string }) {
    this.pages.push(page.id);
    return this;
  }
}

/** Records what module.ts registers, standing in for @grafana/data's PanelPlugin. */
class FakePanelPlugin {
  optionPaths: string[] = [];
  constructor(readonly panel: unknown) {}
  setPanelOptions(supplier: (b: unknown) => void) {
    const builder: Record<string, (o: { path: string }) => unknown> = {};
    for (const m of ['addTextInput', 'addNumberInput', 'addBooleanSwitch', 'addSelect', 'addRadio', 'addSliderInput']) {
      builder[m] = (o) => {
        this.optionPaths.push(o.path);
        return builder;
      };
    }
    supplier(builder);
    return this;
  }
}
