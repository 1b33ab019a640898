/// <reference lib="dom" />
/**
 * Real browser, real agent, Grafana's server stood in for: Debian's Chromium (driven by playwright-core)
 * opens a harness page that loads the BUILT app and panel (grafana-plugin/dist) the way Grafana does, with
 * real @grafana/ui. The harness server stands in for Grafana's plugin settings API and plugin proxy
 * (support/panel-harness/grafana-standin.ts, following Grafana's pluginproxy code): it serves the routes
 * of the app's plugin.json and adds the agent's token server-side. The agent is `wedsync-agent demo` on
 * the Saturday of the demo weekend, with an operator and a viewer token from WEDSYNC_API_TOKENS.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startHarnessServer, type HarnessServer } from './support/panel-harness/server';
import { grafanaStandIn, type GrafanaStandIn } from './support/panel-harness/grafana-standin';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  HARNESS_DIR,
  ICONS_DIR,
  PLUGIN_DIR,
  PLUGIN_DIST,
  buildHarness,
  ensurePluginBuilt,
  requireChromium,
  startDemoAgent,
  type RunningAgent,
} from './support/panel-harness/processes';

const TOKEN = `op-${randomBytes(18).toString('hex')}`;
const VIEWER_TOKEN = `vw-${randomBytes(18).toString('hex')}`;
const APP_ID = 'wedsync-scaling-app';
const DEMO_SATURDAY = '2027-06-05T15:00:00Z';
const T = (id: string) => `data-testid wedsync-${id}`;
const RESULTS = join(PLUGIN_DIR, 'test-results');

interface Status {
  agent: { now: string };
  targets: Array<{ id: string; protections: string[]; load: { observed: number | null } }>;
}
interface OverrideList {
  overrides: Array<{ id: string; target: string; type: string; replicas?: number; reason: string; author: string }>;
}

let demo: RunningAgent | undefined;
let server: HarnessServer | undefined;
let grafana: GrafanaStandIn;
let browser: Browser | undefined;
let workDir: string | undefined;

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${demo!.url}/api/v1${path}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

beforeAll(async () => {
  requireChromium();
  ensurePluginBuilt();
  workDir = mkdtempSync(join(tmpdir(), 'wedsync-panel-browser-'));
  const bundleDir = join(workDir, 'bundle');
  grafana = grafanaStandIn(APP_ID, join(PLUGIN_DIST, 'plugin.json'));
  server = await startHarnessServer({ harnessDir: HARNESS_DIR, bundleDir, pluginDist: PLUGIN_DIST, iconsDir: ICONS_DIR, grafana });
  const env = { WEDSYNC_API_TOKENS: `operator:${TOKEN},viewer:${VIEWER_TOKEN}` };
  const [built, demoStarted] = await Promise.allSettled([buildHarness(bundleDir), startDemoAgent(env, ['--start', DEMO_SATURDAY, '--quiet'])]);
  if (demoStarted.status === 'fulfilled') demo = demoStarted.value;
  for (const r of [built, demoStarted]) if (r.status === 'rejected') throw r.reason;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 400_000); // a cold harness bundle (React, @grafana/ui) takes ~50 s on a loaded 2-core machine

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await demo?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** A browser session signed in to the Grafana stand-in with `role`. */
async function session(role: 'Viewer' | 'Editor' | 'Admin'): Promise<BrowserContext> {
  const context = await browser!.newContext({ viewport: { width: 1180, height: 980 } });
  await context.addCookies([{ name: 'grafana_role', value: role, url: server!.url }]);
  return context;
}

/** Opens the harness (the panel, or `page=config`); fails with the page's own errors. */
async function open(context: BrowserContext, query: Record<string, string>): Promise<{ page: Page; pageErrors: string[] }> {
  const page = await context.newPage();
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  await page.goto(`${server!.url}/?${new URLSearchParams(query)}`);
  await page.waitForSelector('body[data-harness]', { timeout: 30_000 }).catch(() => undefined);
  const harness = await page.evaluate(() => document.body.dataset.harness ?? 'not started');
  if (harness !== 'ready')
    throw new Error(`harness ${harness}: ${await page.textContent('body')}\npage errors: ${pageErrors.join('\n')}\nconsole: ${consoleErrors.join('\n')}`);
  return { page, pageErrors };
}

/** Waits for the panel to show the agent's view; on failure says what the page showed and threw. */
async function agentShown(page: Page, pageErrors: string[]): Promise<void> {
  await page
    .getByTestId(T('agent-info'))
    .waitFor({ timeout: 20_000 })
    .catch(async (e: Error) => {
      throw new Error(`${e.message}\npage: ${(await page.evaluate(() => document.body.innerText)).slice(0, 600)}\npage errors: ${pageErrors.join('\n')}`);
    });
}

async function panelQuery(): Promise<Record<string, string>> {
  const status = await api<Status>('/status');
  const levels = status.targets.map((t) => `${t.id}:${Math.round(t.load.observed ?? 100)}`).join(',');
  return { now: status.agent.now, targets: status.targets.map((t) => t.id).join(','), levels };
}

/** The app's configuration page, as a Grafana admin: the agent URL and a token, saved to Grafana. */
async function configureApp(agentUrl: string, token: string): Promise<void> {
  const admin = await session('Admin');
  const { page, pageErrors } = await open(admin, { page: 'config' });
  await page.getByTestId(T('app-agent-url')).fill(agentUrl);
  const tokenInput = page.getByTestId(T('app-agent-token'));
  if (!(await tokenInput.isEditable().catch(() => false))) await page.getByRole('button', { name: 'Reset' }).click();
  await page.getByTestId(T('app-agent-token')).fill(token);
  await page.getByTestId(T('app-save')).click();
  await expect(page.getByTestId(T('app-test-result')).textContent()).resolves.toContain('Saved');
  await page.getByTestId(T('app-test')).click();
  await expect(page.getByTestId(T('app-test-result')).textContent()).resolves.toMatch(/Connected through Grafana: agent .*demo/);
  mkdirSync(RESULTS, { recursive: true });
  await page.screenshot({ path: join(RESULTS, 'app-config.png') });
  expect(pageErrors).toEqual([]);
  await admin.close();
}

async function fillOverride(
  page: Page,
  o: { target: string; type: 'Pin' | 'Floor' | 'Freeze'; replicas?: string; duration: string; reason: string },
): Promise<void> {
  await page.getByTestId(T('override-open')).click();
  await page.getByTestId(T('override-form')).waitFor();
  await page.getByRole('radio', { name: o.target, exact: true }).check({ force: true });
  await page.getByRole('radio', { name: new RegExp(o.type) }).check({ force: true });
  if (o.replicas !== undefined) await page.getByTestId(T('override-replicas')).fill(o.replicas);
  await page.getByTestId(T('override-duration')).fill(o.duration);
  await page.getByTestId(T('override-reason')).fill(o.reason);
  await page.getByTestId(T('override-review')).click();
  await page.getByTestId(T('override-confirm')).click();
}

/** Follows the agent's stream directly (not through the proxy): when each event id arrived here. */
function followAgent(): { arrivals: Map<number, number>; close(): void } {
  const arrivals = new Map<number, number>();
  let res: IncomingMessage | undefined;
  const req = httpRequest(`${demo!.url}/api/v1/stream`, { headers: { Authorization: `Bearer ${VIEWER_TOKEN}` } }, (r) => {
    res = r;
    let buf = '';
    r.setEncoding('utf8');
    r.on('data', (c: string) => {
      const at = Date.now();
      buf += c;
      for (const m of buf.matchAll(/^id: (\d+)$/gm)) if (!arrivals.has(Number(m[1]))) arrivals.set(Number(m[1]), at);
      buf = buf.slice(buf.lastIndexOf('\n\n') + 2);
    });
  });
  req.end();
  return { arrivals, close: () => (res ? res.destroy() : req.destroy()) };
}

describe("app and panel in Chromium through a stand-in of Grafana's plugin proxy (demo agent)", () => {
  it('first look: before the app is configured the panel says to connect the agent, not "no weddings"', async () => {
    const viewer = await session('Viewer');
    const { page, pageErrors } = await open(viewer, { ...(await panelQuery()), noQueries: '1' });
    const connect = page.getByTestId(T('connect-agent'));
    await connect.waitFor({ timeout: 15_000 });
    await expect(connect.textContent()).resolves.toMatch(/Connect the WedSync agent.*no agent URL is set, no agent token is set/);
    expect(await page.getByText(/No weddings/).count()).toBe(0);
    mkdirSync(RESULTS, { recursive: true });
    await page.getByTestId('harness-panel').screenshot({ path: join(RESULTS, 'panel-connect.png') });
    expect(pageErrors).toEqual([]);
    await viewer.close();
  }, 60_000);

  it('configured once by an admin: the panel works through the proxy, no token ever reaches the browser, tooltips show units, live within a second', async () => {
    await configureApp(demo!.url, TOKEN);
    expect(grafana.settings.secureJsonData.agentToken).toBe(TOKEN); // kept server-side by the stand-in, as Grafana does

    const editor = await session('Editor');
    const requests: Array<{ url: string; headers: Record<string, string>; body: string | null }> = [];
    const scripts: string[] = [];
    editor.on('request', (r) => requests.push({ url: r.url(), headers: r.headers(), body: r.postData() }));
    editor.on('response', (r) => {
      if (r.request().resourceType() === 'script')
        void r.text().then(
          (t) => scripts.push(t),
          () => undefined,
        );
    });
    const { page, pageErrors } = await open(editor, await panelQuery());
    await agentShown(page, pageErrors);
    const apiCard = page.getByTestId(T('target api'));
    await expect(apiCard.getByTestId(T('badge saturday')).textContent()).resolves.toBe('Saturday freeze');
    await page.getByTestId(T('timeline')).waitFor();

    // Live: the panel follows the stream through the proxy; each event shows within a second of the
    // moment a direct subscriber of the agent got it (the agent sends right after its tick).
    await page.waitForSelector(`[data-testid="${T('live')}"][data-state="live"]`, { timeout: 15_000 });
    const direct = followAgent();
    try {
      const delays: number[] = [];
      for (let i = 0; i < 5; i++) {
        const seen = Number(await page.getByTestId(T('live')).getAttribute('data-last-event-id'));
        const handle = await page.waitForFunction(
          ([sel, before]) => {
            const el = document.querySelector(`[data-testid="${sel}"]`);
            const id = Number(el?.getAttribute('data-last-event-id'));
            return id > before ? { id, at: Number(el!.getAttribute('data-last-event-at')) } : null;
          },
          [T('live'), seen] as const,
          { timeout: 10_000, polling: 'raf' },
        );
        const { id, at } = (await handle.jsonValue())!;
        const directAt = direct.arrivals.get(id);
        if (directAt !== undefined) delays.push(at - directAt);
      }
      expect(delays.length).toBeGreaterThan(0);
      expect(Math.max(...delays)).toBeLessThan(1000);
    } finally {
      direct.close();
    }

    // Grafana's TimeSeries (uPlot) with a tooltip in the agent's load unit.
    const chart = apiCard.getByTestId(T('load-chart'));
    // Live ticks redraw the chart (and close its tooltip): hover, then read the tooltip at once.
    let tooltipText = '';
    for (let i = 0; i < 20 && !/Observed load/.test(tooltipText); i++) {
      await chart
        .locator('.u-over')
        .first()
        .hover({ position: { x: 300 + i, y: 60 } });
      tooltipText = await page.evaluate((sel) => document.querySelector(`[data-testid="${sel}"]`)?.textContent ?? '', T('chart-tooltip'));
    }
    expect(tooltipText).toMatch(/Observed load.*req\/s/);
    await expect(chart.textContent()).resolves.toMatch(/Forecast.*Observed load.*Anomaly.*Replicas now/);
    await page.screenshot({ path: join(RESULTS, 'panel-tooltip.png'), clip: (await chart.boundingBox())! });

    // An Editor sets an override through the proxy; the agent records it as the app's token's principal.
    await fillOverride(page, { target: 'api', type: 'Floor', replicas: '12', duration: '3h', reason: 'browser test: VIP wedding' });
    const found = await pollFor(async () => (await api<OverrideList>('/overrides')).overrides.find((o) => o.reason === 'browser test: VIP wedding'));
    expect(found).toMatchObject({ target: 'api', type: 'floor', replicas: 12, author: 'env-operator-1' });
    await page.getByTestId(T(`badge override_${found.id}`)).waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(RESULTS, 'panel-browser.png'), fullPage: true });

    // No token anywhere the browser can see: requests, scripts, page, storage, cookies.
    const everything =
      JSON.stringify(requests) +
      scripts.join('\n') +
      (await page.content()) +
      JSON.stringify(await page.evaluate(() => ({ ...localStorage, ...sessionStorage })));
    expect(everything.includes(TOKEN)).toBe(false);
    expect(JSON.stringify(await editor.cookies()).includes(TOKEN)).toBe(false);
    expect(requests.filter((r) => r.headers.authorization !== undefined)).toEqual([]);
    expect(requests.filter((r) => r.url.includes('/api/plugin-proxy/wedsync-scaling-app/api/v1/status')).length).toBeGreaterThan(0);
    expect(requests.filter((r) => !r.url.startsWith(server!.url))).toEqual([]); // no cross-origin call, so no CORS
    expect(scripts.length).toBeGreaterThan(2);
    expect(pageErrors).toEqual([]);
    await editor.close();
  }, 180_000);

  it('refusals are explained: a Viewer is refused by Grafana, a viewer-role token by the agent (403)', async () => {
    const viewer = await session('Viewer');
    const v = await open(viewer, await panelQuery());
    await agentShown(v.page, v.pageErrors);
    await fillOverride(v.page, { target: 'api', type: 'Pin', replicas: '5', duration: '1h', reason: 'browser test: viewer' });
    const byGrafana = v.page.getByTestId(T('override-request-error'));
    await byGrafana.waitFor({ timeout: 10_000 });
    await expect(byGrafana.textContent()).resolves.toMatch(/Your Grafana role may not change overrides \(403 from Grafana\).*Editor role/);
    await viewer.close();

    await configureApp(demo!.url, VIEWER_TOKEN);
    const editor = await session('Editor');
    const e = await open(editor, await panelQuery());
    await agentShown(e.page, e.pageErrors);
    await fillOverride(e.page, { target: 'api', type: 'Pin', replicas: '5', duration: '1h', reason: 'browser test: viewer token' });
    const byAgent = e.page.getByTestId(T('override-request-error'));
    await byAgent.waitFor({ timeout: 10_000 });
    await expect(byAgent.textContent()).resolves.toMatch(/The WedSync app's token may not change overrides \(403 from the agent\).*operator role/);
    await e.page.getByTestId(T('override-form')).screenshot({ path: join(RESULTS, 'override-403.png') });
    expect([...v.pageErrors, ...e.pageErrors]).toEqual([]);
    await editor.close();
    await configureApp(demo!.url, TOKEN);
  }, 120_000);

  it('agent unreachable through the proxy: the panel says so and keeps the last data, marked stale', async () => {
    const editor = await session('Editor');
    const { page, pageErrors } = await open(editor, await panelQuery());
    await agentShown(page, pageErrors);
    // The agent moves away (a closed port): Grafana's proxy answers 502, the stream drops.
    grafana.settings.jsonData.agentUrl = 'http://127.0.0.1:9';
    grafana.dropConnections();
    const stale = page.getByTestId(T('agent-error'));
    await stale.waitFor({ timeout: 30_000 });
    await expect(stale.textContent()).resolves.toMatch(
      /Agent unreachable: showing its data from \d\d:\d\d:\d\d UTC \(stale\).*unreachable through Grafana's proxy \(HTTP 502\)/,
    );
    await expect(page.getByTestId(T('panel')).getAttribute('data-stale')).resolves.toBe('true');
    expect(await page.getByTestId(T('target api')).count()).toBe(1);
    await expect(page.getByTestId(T('live')).getAttribute('data-state')).resolves.toMatch(/reconnecting|down/);
    await page.getByTestId('harness-panel').screenshot({ path: join(RESULTS, 'panel-stale.png') });
    // Back: the stream reconnects (with backoff) and the warning goes.
    grafana.settings.jsonData.agentUrl = demo!.url;
    await page.waitForSelector(`[data-testid="${T('live')}"][data-state="live"]`, { timeout: 40_000 });
    await page.getByTestId(T('agent-error')).waitFor({ state: 'detached', timeout: 20_000 });
    expect(pageErrors).toEqual([]);
    await editor.close();
  }, 120_000);
});

async function pollFor<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('the agent never reported the override');
    await new Promise((r) => setTimeout(r, 200));
  }
}
