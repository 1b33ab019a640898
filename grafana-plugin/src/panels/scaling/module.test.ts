import { PanelOptionsEditorBuilder, standardEditorsRegistry, type StandardEditorsRegistryItem } from '@grafana/data';
import { plugin } from './module';
import pluginJson from './plugin.json';
import { DEFAULT_OPTIONS, type PanelOptions } from '../../types';

// Outside Grafana the option builders throw `"text" not found` unless the standard editors are registered.
beforeAll(() => {
  const stub = (id: string) => ({ id, name: id, editor: () => null }) as unknown as StandardEditorsRegistryItem;
  standardEditorsRegistry.setInit(() => ['text', 'number', 'boolean'].map(stub));
});

describe('module', () => {
  it('registers the panel with its options and their defaults', () => {
    const builder = new PanelOptionsEditorBuilder<PanelOptions>();
    plugin.getPanelOptionsSupplier()(builder, { data: [] });
    const items = builder.getItems();
    expect(items.map((i) => i.path)).toEqual(['targets', 'anomalyThreshold', 'timelineHours', 'readOnly', 'live']);
    for (const item of items) {
      expect(item.defaultValue).toEqual(DEFAULT_OPTIONS[item.path as keyof typeof DEFAULT_OPTIONS]);
    }
    expect(plugin.panel).toBeDefined();
  });

  it('has no option that could store a token in the dashboard JSON', () => {
    const builder = new PanelOptionsEditorBuilder<PanelOptions>();
    plugin.getPanelOptionsSupplier()(builder, { data: [] });
    expect(
      builder
        .getItems()
        .map((i) => i.path.toLowerCase())
        .filter((p) => /token|secret|password|key/.test(p)),
    ).toEqual([]);
  });
});

describe('plugin.json', () => {
  // The keys Grafana's plugin.schema.json allows at the top level and in info (it rejects unknown keys).
  const TOP = ['$schema', 'type', 'name', 'id', 'info', 'dependencies', 'skipDataQuery', 'state', 'preload', 'includes', 'routes'];
  const INFO = ['keywords', 'description', 'author', 'logos', 'links', 'screenshots', 'version', 'updated', 'build'];

  it('is a panel (nested in the WedSync app) with a three-part id, keywords, logos and only known keys', () => {
    expect(pluginJson.id).toBe('wedsync-scaling-panel');
    expect(pluginJson.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+){0,1}-panel$/);
    expect(pluginJson.type).toBe('panel');
    expect(pluginJson.info.keywords.length).toBeGreaterThan(0);
    expect(pluginJson.info.logos.small).toBe('img/logo.svg');
    expect(pluginJson.dependencies.grafanaDependency).toBe('>=12.3.0');
    expect(Object.keys(pluginJson).filter((k) => !TOP.includes(k))).toEqual([]);
    expect(Object.keys(pluginJson.info).filter((k) => !INFO.includes(k))).toEqual([]);
  });
});
