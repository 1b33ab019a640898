/// <reference lib="dom" />
/**
 * Real browser, real agent: Debian's Chromium (driven by playwright-core) opens a harness page that loads
 * the BUILT panel (grafana-plugin/dist/module.js) the way Grafana does, with real @grafana/ui, against a
 * running agent (operator token from WEDSYNC_API_TOKENS). The test types the token, sets an override
 * through the UI and checks through the agent's API that the override exists. Two ways to reach the agent:
 * - `wedsync-agent demo` (the wedding weekend, fast clock) behind the harness's own origin, as through
 *   Grafana's proxy; this run also saves grafana-plugin/test-results/panel-browser*.png;
 * - `wedsync-agent run` with the demo config and `api.corsOrigins` = the harness origin: the page calls the
 *   agent cross-origin (preflight with Authorization), and a page from an origin not listed is refused.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startHarnessServer, type HarnessServer } from './support/panel-harness/server';
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
  startCorsAgent,
  startDemoAgent,
  type RunningAgent,
} from './support/panel-harness/processes';

const TOKEN = randomBytes(18).toString('hex');
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
let corsAgent: RunningAgent | undefined;
let server: HarnessServer | undefined;
let browser: Browser | undefined;
let workDir: string | undefined;

async function api<T>(agent: RunningAgent, path: string): Promise<T> {
  const res = await fetch(`${agent.url}/api/v1${path}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

beforeAll(async () => {
  requireChromium();
  ensurePluginBuilt();
  workDir = mkdtempSync(join(tmpdir(), 'wedsync-panel-browser-'));
  const bundleDir = join(workDir, 'bundle');
  // The server comes first: its origin goes into the CORS agent's config. /agent/* forwards to the demo.
  server = await startHarnessServer({ harnessDir: HARNESS_DIR, bundleDir, pluginDist: PLUGIN_DIST, iconsDir: ICONS_DIR, agentProxy: () => demo?.url });
  const env = { WEDSYNC_API_TOKENS: `operator:${TOKEN}` };
  const [built, demoStarted, corsStarted] = await Promise.allSettled([
    buildHarness(bundleDir),
    // Saturday afternoon of the demo weekend: London weddings are live, so Saturday protection is on.
    startDemoAgent(env, ['--start', DEMO_SATURDAY]),
    startCorsAgent(env, server.url, workDir),
  ]);
  // Keep whatever started, even if something else failed, so afterAll stops it.
  if (demoStarted.status === 'fulfilled') demo = demoStarted.value;
  if (corsStarted.status === 'fulfilled') corsAgent = corsStarted.value;
  for (const r of [built, demoStarted, corsStarted]) if (r.status === 'rejected') throw r.reason;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await demo?.stop();
  await corsAgent?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** Opens the harness at `origin` with the panel pointed at `agentUrl`; fails with the page's own errors. */
async function openPanel(origin: string, agentUrl: string, status: Status): Promise<{ page: Page; pageErrors: string[] }> {
  const page = await browser!.newPage({ viewport: { width: 1180, height: 900 } });
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  const levels = status.targets.map((t) => `${t.id}:${Math.round(t.load.observed ?? 100)}`).join(',');
  const params = new URLSearchParams({ agentUrl, now: status.agent.now, targets: status.targets.map((t) => t.id).join(','), levels });
  await page.goto(`${origin}/?${params}`);
  await page.waitForSelector('body[data-harness]', { timeout: 30_000 }).catch(() => undefined);
  const harness = await page.evaluate(() => document.body.dataset.harness ?? 'not started');
  if (harness !== 'ready') throw new Error(`harness ${harness}: ${await page.textContent('body')}\npage errors: ${pageErrors.join('\n')}\nconsole: ${consoleErrors.join('\n')}`);
  return { page, pageErrors };
}

/** The agent answers 401 without a token, so the panel asks for one; typing it loads the agent's view. */
async function typeToken(page: Page): Promise<void> {
  await page.getByTestId(T('token-prompt')).waitFor({ timeout: 15_000 });
  await page.getByTestId(T('token-input')).fill(TOKEN);
  await page.getByTestId(T('token-save')).click();
  await page.getByTestId(T('agent-info')).waitFor({ timeout: 15_000 });
}

async function fillOverride(page: Page, o: { target: string; type: 'Pin' | 'Floor' | 'Freeze'; replicas?: string; duration: string; reason: string }): Promise<void> {
  await page.getByTestId(T('override-open')).click();
  await page.getByTestId(T('override-form')).waitFor();
  await page.getByRole('radio', { name: o.target, exact: true }).check({ force: true });
  await page.getByRole('radio', { name: new RegExp(o.type) }).check({ force: true });
  if (o.replicas !== undefined) await page.getByTestId(T('override-replicas')).fill(o.replicas);
  await page.getByTestId(T('override-duration')).fill(o.duration);
  await page.getByTestId(T('override-reason')).fill(o.reason);
}

async function overrideWithReason(agent: RunningAgent, reason: string) {
  return pollFor(async () => (await api<OverrideList>(agent, '/overrides')).overrides.find((o) => o.reason === reason));
}

describe('panel in Chromium against a running agent (harness page standing in for Grafana)', () => {
  it('demo agent behind the page origin: renders, takes the token, sets an override the agent then reports', async () => {
    const status = await api<Status>(demo!, '/status');
    expect(status.targets.map((t) => t.id)).toContain('api');
    expect(status.targets.find((t) => t.id === 'api')!.protections).toContain('saturday');

    const { page, pageErrors } = await openPanel(server!.url, `${server!.url}/agent`, status);
    await typeToken(page);
    expect(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('wedsync-agent-token:')).length)).toBe(1);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);

    // What the agent knows shows up: targets, chart, protections, weddings ahead (a wedding weekend).
    const apiCard = page.getByTestId(T('target api'));
    await expect(apiCard.getByTestId(T('observed-line')).count()).resolves.toBe(1);
    await expect(apiCard.getByTestId(T('anomaly-marker')).count()).resolves.toBeGreaterThan(0);
    await expect(apiCard.getByTestId(T('badge saturday')).textContent()).resolves.toBe('Saturday freeze');
    // The deploy freeze from GET /deploy-freeze: until when (the demo's Saturday weddings are live).
    await apiCard.getByTestId(T('badge deploy_freeze')).waitFor({ timeout: 15_000 });
    await expect(apiCard.getByTestId(T('badge deploy_freeze')).textContent()).resolves.toMatch(/^Deploy freeze until \d\d:\d\d UTC · (\d+h \d\dm|\d+m) left$/);
    await page.getByTestId(T('timeline')).waitFor();
    expect(await page.locator('[data-testid^="data-testid wedsync-timeline-wedding"]').count()).toBeGreaterThan(0);

    // Set a floor through the UI, with the confirmation step.
    await fillOverride(page, { target: 'api', type: 'Floor', replicas: '12', duration: '3h', reason: 'browser test: VIP wedding' });
    mkdirSync(RESULTS, { recursive: true });
    await page.getByTestId(T('override-form')).screenshot({ path: join(RESULTS, 'panel-browser-override-form.png') });
    await page.getByTestId(T('override-review')).click();
    await expect(page.getByTestId(T('override-confirmation')).textContent()).resolves.toContain('Keep api at 12 replicas or more');
    await page.getByTestId(T('override-confirm')).click();

    // The agent has it…
    const found = await overrideWithReason(demo!, 'browser test: VIP wedding');
    expect(found).toMatchObject({ target: 'api', type: 'floor', replicas: 12 });
    // …and the panel shows it as a badge with time left, after reloading the status.
    await page.getByTestId(T(`badge override_${found.id}`)).waitFor({ timeout: 15_000 });
    await expect(page.getByTestId(T(`badge override_${found.id}`)).textContent()).resolves.toMatch(/Override floor 12 · \d+h \d\dm left/);

    await page.screenshot({ path: join(RESULTS, 'panel-browser.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 120_000);

  it('agent on another origin with api.corsOrigins: the panel calls it directly; an unlisted origin is refused', async () => {
    const status = await api<Status>(corsAgent!, '/status');
    const { page, pageErrors } = await openPanel(server!.url, corsAgent!.url, status);
    await typeToken(page);
    await fillOverride(page, { target: 'notifications', type: 'Pin', replicas: '3', duration: '1h', reason: 'browser test: cross-origin pin' });
    await page.getByTestId(T('override-review')).click();
    await page.getByTestId(T('override-confirm')).click();
    const found = await overrideWithReason(corsAgent!, 'browser test: cross-origin pin');
    expect(found).toMatchObject({ target: 'notifications', type: 'pin', replicas: 3 });
    expect(pageErrors).toEqual([]);
    await page.close();

    // Same page from http://localhost:PORT — another origin, not in api.corsOrigins: the browser refuses
    // the agent's answer and the panel says what to check instead of showing a blank panel.
    const other = await openPanel(server!.url.replace('127.0.0.1', 'localhost'), corsAgent!.url, status);
    const refused = other.page.getByTestId(T('agent-error'));
    await refused.waitFor({ timeout: 15_000 });
    await expect(refused.textContent()).resolves.toMatch(/cannot reach the agent at .*allows this origin \(CORS\)/);
    expect(await other.page.getByTestId(T('target api')).count()).toBe(1); // Prometheus data still drawn
    await other.page.close();
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
