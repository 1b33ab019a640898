/// <reference lib="dom" />
/**
 * A stand-in for Grafana's page: it provides React and @grafana/* to the BUILT plugin exactly as Grafana
 * does (an AMD `define` whose dependencies are the host's modules), sets Grafana's backendSrv (requests
 * to the same origin with the session cookie, as Grafana's does), loads the app (dist/module.js) and its
 * nested panel (dist/panels/scaling/module.js), and renders with real @grafana/ui, the global styles, the
 * dark theme and a panel context whose cursor sync is the dashboard's shared crosshair.
 * Query parameters: page=config (the app's configuration page) or the panel (default); now (the
 * agent's clock), targets (comma-separated), levels (target:load,…) for the synthetic Prometheus frames.
 */
import './boot';
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import { createRoot } from 'react-dom/client';
import * as jsxRuntime from 'react/jsx-runtime';
import * as rxjs from 'rxjs';
import * as grafanaData from '@grafana/data';
import * as grafanaUi from '@grafana/ui';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaI18n from '@grafana/i18n';
import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import { harnessFrames } from './frames';

const APP_ID = 'wedsync-scaling-app';

const HOST_MODULES: Record<string, unknown> = {
  react: React,
  'react-dom': ReactDOM,
  'react/jsx-runtime': jsxRuntime,
  rxjs,
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
  '@grafana/runtime': grafanaRuntime,
  '@grafana/i18n': grafanaI18n,
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
};

type Define = ((deps: string[], factory: (...mods: unknown[]) => unknown) => void) & { amd?: boolean };

function loadModule<T>(url: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const define: Define = (deps, factory) => {
      const missing = deps.filter((d) => !(d in HOST_MODULES));
      if (missing.length) return reject(new Error(`${url} needs modules Grafana does not provide: ${missing.join(', ')}`));
      const exports = factory(...deps.map((d) => HOST_MODULES[d])) as { plugin?: T };
      if (!exports?.plugin) return reject(new Error(`${url} exports no \`plugin\``));
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

/** Grafana's backendSrv.fetch as plugins see it: same-origin requests, JSON in and out, FetchError on non-2xx. */
const backendSrv = {
  fetch<T>(options: grafanaRuntime.BackendSrvRequest): rxjs.Observable<grafanaRuntime.FetchResponse<T>> {
    return rxjs.from(
      (async () => {
        const headers: Record<string, string> = { ...(options.headers as Record<string, string> | undefined) };
        let body: string | undefined;
        if (options.data !== undefined) {
          body = JSON.stringify(options.data);
          headers['Content-Type'] = 'application/json';
        }
        let res: Response;
        try {
          res = await fetch(options.url, { method: options.method ?? 'GET', headers, body, credentials: 'same-origin' });
        } catch (e) {
          throw Object.assign(new Error((e as Error).message), { status: 0, statusText: (e as Error).message, data: undefined, config: options });
        }
        const text = await res.text();
        let data: unknown = text;
        try {
          data = text ? JSON.parse(text) : undefined;
        } catch {
          /* not JSON: keep the text */
        }
        if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { status: res.status, statusText: res.statusText, data, config: options });
        return {
          data: data as T,
          status: res.status,
          statusText: res.statusText,
          ok: true,
          headers: res.headers,
          redirected: false,
          type: res.type,
          url: res.url,
          config: options,
        };
      })(),
    );
  },
};

async function main() {
  grafanaRuntime.setBackendSrv(backendSrv as unknown as grafanaRuntime.BackendSrv);
  const params = new URLSearchParams(window.location.search);
  const theme = grafanaData.getThemeById('dark');
  const h = React.createElement;
  const app = await loadModule<grafanaData.AppPlugin>('/plugin/module.js');
  let content: React.ReactElement;
  if (params.get('page') === 'config') {
    const settings = (await (await fetch(`/api/plugins/${APP_ID}/settings`)).json()) as grafanaData.AppPluginMeta;
    app.meta = { ...settings, id: APP_ID };
    const page = app.configPages![0];
    content = h('div', { style: { padding: 16 } }, h('h2', null, `WedSync · ${page.title}`), h(page.body, { plugin: app, query: {} } as never));
  } else {
    const plugin = await loadModule<grafanaData.PanelPlugin>('/plugin/panels/scaling/module.js');
    content = panelPage(plugin, params, theme);
  }
  createRoot(document.getElementById('root')!).render(h(grafanaData.ThemeContext.Provider, { value: theme }, h(grafanaUi.GlobalStyles), content));
  document.body.dataset.harness = 'ready';
}

function panelPage(plugin: grafanaData.PanelPlugin, params: URLSearchParams, theme: grafanaData.GrafanaTheme2): React.ReactElement {
  const h = React.createElement;
  const nowMs = Date.parse(params.get('now') ?? '') || Date.now();
  const targets = (params.get('targets') ?? 'api').split(',').filter(Boolean);
  const Panel = plugin.panel!;
  const timeRange = { from: grafanaData.dateTime(nowMs - 3 * 3600_000), to: grafanaData.dateTime(nowMs), raw: { from: 'now-3h', to: 'now' } };
  const levels = Object.fromEntries(
    (params.get('levels') ?? '')
      .split(',')
      .filter(Boolean)
      .map((kv) => [kv.split(':')[0], Number(kv.split(':')[1])]),
  );
  const series = params.get('noQueries') ? [] : harnessFrames(targets, nowMs, levels);
  const [width, height] = [1100, 860];
  const eventBus = new grafanaData.EventBusSrv();
  const props = {
    id: 1,
    data: { state: grafanaData.LoadingState.Done, series, timeRange },
    timeRange,
    timeZone: 'utc',
    options: { targets: '', anomalyThreshold: 0.8, timelineHours: 48, readOnly: false, live: true },
    fieldConfig: { defaults: {}, overrides: [] },
    transparent: false,
    width,
    height,
    renderCounter: 0,
    title: 'WedSync scaling',
    eventBus,
    onOptionsChange: (o: unknown) => console.log('onOptionsChange', JSON.stringify(o)),
    onFieldConfigChange: () => {},
    replaceVariables: (s: string) => s,
    onChangeTimeRange: () => {},
  };
  // The dashboard's panel context: shared crosshair (cursor sync) across the dashboard's panels.
  const panelContext = { eventsScope: 'global', eventBus, sync: () => 1 /* DashboardCursorSync.Crosshair */ };
  const frameStyle = { width: width + 18, height: height + 18, border: `1px solid ${theme.colors.border.weak}`, padding: 8, boxSizing: 'border-box' as const };
  return h(
    'div',
    { style: { padding: 16 } },
    h('div', { className: 'panel-title', style: { fontWeight: 500, marginBottom: 8 } }, 'WedSync scaling'),
    h('div', { style: frameStyle, 'data-testid': 'harness-panel' }, h(grafanaUi.PanelContextProvider, { value: panelContext }, h(Panel, props as never))),
  );
}

main().catch((e: Error) => {
  document.body.dataset.harness = 'failed';
  document.body.textContent = `harness failed: ${e.message}`;
  console.error(e);
});
