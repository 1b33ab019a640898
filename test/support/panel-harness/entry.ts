/// <reference lib="dom" />
/**
 * A stand-in for Grafana's page: it provides React and @grafana/* to the BUILT plugin exactly as Grafana
 * does (an AMD `define` whose dependencies are the host's modules), loads grafana-plugin/dist/module.js,
 * and renders its panel with real @grafana/ui, the global styles and the dark theme.
 * Query parameters: agentUrl, now (the agent's clock), targets (comma-separated), levels (target:load,…).
 */
import './boot';
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import { createRoot } from 'react-dom/client';
import * as jsxRuntime from 'react/jsx-runtime';
import * as grafanaData from '@grafana/data';
import * as grafanaUi from '@grafana/ui';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaI18n from '@grafana/i18n';
import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import { harnessFrames } from './frames';

const HOST_MODULES: Record<string, unknown> = {
  react: React,
  'react-dom': ReactDOM,
  'react/jsx-runtime': jsxRuntime,
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
  '@grafana/runtime': grafanaRuntime,
  '@grafana/i18n': grafanaI18n,
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
};

type Define = ((deps: string[], factory: (...mods: unknown[]) => unknown) => void) & { amd?: boolean };

function loadPlugin(url: string): Promise<grafanaData.PanelPlugin> {
  return new Promise((resolve, reject) => {
    const define: Define = (deps, factory) => {
      const missing = deps.filter((d) => !(d in HOST_MODULES));
      if (missing.length) return reject(new Error(`module.js needs modules Grafana does not provide: ${missing.join(', ')}`));
      const exports = factory(...deps.map((d) => HOST_MODULES[d])) as { plugin?: grafanaData.PanelPlugin };
      if (!exports?.plugin) return reject(new Error('module.js exports no `plugin`'));
      resolve(exports.plugin);
    };
    define.amd = true;
    (window as unknown as { define: Define }).define = define;
    const script = document.createElement('script');
    script.src = url;
    script.onerror = () => reject(new Error(`cannot load ${url}`));
    document.head.appendChild(script);
  });
}

async function main() {
  const params = new URLSearchParams(window.location.search);
  const nowMs = Date.parse(params.get('now') ?? '') || Date.now();
  const targets = (params.get('targets') ?? 'api').split(',').filter(Boolean);
  const plugin = await loadPlugin('/plugin/module.js');
  const Panel = plugin.panel!;
  const theme = grafanaData.getThemeById('dark');
  const timeRange = { from: grafanaData.dateTime(nowMs - 3 * 3600_000), to: grafanaData.dateTime(nowMs), raw: { from: 'now-3h', to: 'now' } };
  const levels = Object.fromEntries((params.get('levels') ?? '').split(',').filter(Boolean).map((kv) => [kv.split(':')[0], Number(kv.split(':')[1])]));
  const series = harnessFrames(targets, nowMs, levels);
  const [width, height] = [1100, 760];
  const props = {
    id: 1,
    data: { state: grafanaData.LoadingState.Done, series, timeRange },
    timeRange,
    timeZone: 'utc',
    options: { agentUrl: params.get('agentUrl') ?? '', targets: '', anomalyThreshold: 0.8, timelineHours: 48, readOnly: false },
    fieldConfig: { defaults: {}, overrides: [] },
    transparent: false,
    width,
    height,
    renderCounter: 0,
    title: 'WedSync scaling',
    eventBus: new grafanaData.EventBusSrv(),
    onOptionsChange: (o: unknown) => console.log('onOptionsChange', JSON.stringify(o)),
    onFieldConfigChange: () => {},
    replaceVariables: (s: string) => s,
    onChangeTimeRange: () => {},
  };
  // createElement rather than JSX: this file is type-checked with the integration tests (no JSX there).
  const h = React.createElement;
  const frameStyle = { width: width + 18, height: height + 18, border: `1px solid ${theme.colors.border.weak}`, padding: 8, boxSizing: 'border-box' as const };
  createRoot(document.getElementById('root')!).render(
    h(
      grafanaData.ThemeContext.Provider,
      { value: theme },
      h(grafanaUi.GlobalStyles),
      h(
        'div',
        { style: { padding: 16 } },
        h('div', { className: 'panel-title', style: { fontWeight: 500, marginBottom: 8 } }, 'WedSync scaling'),
        h('div', { style: frameStyle, 'data-testid': 'harness-panel' }, h(Panel, props as never)),
      ),
    ),
  );
  document.body.dataset.harness = 'ready';
}

main().catch((e: Error) => {
  document.body.dataset.harness = 'failed';
  document.body.textContent = `harness failed: ${e.message}`;
  console.error(e);
});
