/// <reference lib="dom" />
/**
 * Real browser, real agent: Debian's Chromium (driven by playwright-core) opens a harness page that loads
 * the BUILT panel (grafana-plugin/dist/module.js) the way Grafana does, with real @grafana/ui, against a
 * running demo agent (`wedsync-agent demo`, operator token from WEDSYNC_API_TOKENS). The test types the
 * token, sets an override through the UI and checks through the agent's API that the override exists.
 * It saves a screenshot to grafana-plugin/test-results/panel-browser.png.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startHarnessServer, type HarnessServer } from './support/panel-harness/server';
import { CHROMIUM, HARNESS_DIR, ICONS_DIR, PLUGIN_DIR, PLUGIN_DIST, buildHarness, ensurePluginBuilt, requireChromium, startDemoAgent, type DemoAgent } from './support/panel-harness/processes';

const TOKEN = randomBytes(18).toString('hex');
const DEMO_SATURDAY = '2027-06-05T15:00:00Z';
const T = (id: string) => `data-testid wedsync-${id}`;
const SCREENSHOT = join(PLUGIN_DIR, 'test-results', 'panel-browser.png');

let agent: DemoAgent | undefined;
let server: HarnessServer | undefined;
let browser: Browser | undefined;
let bundleDir: string | undefined;

async function agentApi<T>(path: string): Promise<T> {
  const res = await fetch(`${agent!.url}/api/v1${path}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

beforeAll(async () => {
  requireChromium();
  ensurePluginBuilt();
  bundleDir = mkdtempSync(join(tmpdir(), 'wedsync-panel-harness-'));
  // Saturday afternoon of the demo weekend: London weddings are live, so Saturday protection is on.
  const [built, started] = await Promise.allSettled([buildHarness(bundleDir), startDemoAgent({ WEDSYNC_API_TOKENS: `operator:${TOKEN}` }, ['--start', DEMO_SATURDAY])]);
  if (started.status === 'fulfilled') agent = started.value; // kept even if the build failed, so afterAll stops it
  for (const r of [built, started]) if (r.status === 'rejected') throw r.reason;
  // The harness reaches the agent through its own origin (/agent → agent), as Grafana's proxy would.
  server = await startHarnessServer({ harnessDir: HARNESS_DIR, bundleDir, pluginDist: PLUGIN_DIST, iconsDir: ICONS_DIR, agentProxy: agent!.url });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await agent?.stop();
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
});

describe('panel in Chromium against the demo agent (real agent, harness page standing in for Grafana)', () => {
  it('renders the built panel, takes the token, sets an override the agent then reports', async () => {
    const status = await agentApi<{ agent: { now: string }; targets: Array<{ id: string; protections: string[]; load: { observed: number | null } }> }>('/status');
    const targets = status.targets.map((t) => t.id);
    expect(targets).toContain('api');
    expect(status.targets.find((t) => t.id === 'api')!.protections).toContain('saturday');

    const page: Page = await browser!.newPage({ viewport: { width: 1180, height: 900 } });
    const pageErrors: string[] = [];
    const consoleErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    const levels = status.targets.map((t) => `${t.id}:${Math.round(t.load.observed ?? 100)}`).join(',');
    const params = new URLSearchParams({ agentUrl: `${server!.url}/agent`, now: status.agent.now, targets: targets.join(','), levels });
    await page.goto(`${server!.url}/?${params}`);
    await page.waitForSelector('body[data-harness]', { timeout: 30_000 }).catch(() => undefined);
    const harness = await page.evaluate(() => document.body.dataset.harness ?? 'not started');
    if (harness !== 'ready') throw new Error(`harness ${harness}: ${await page.textContent('body')}\npage errors: ${pageErrors.join('\n')}\nconsole: ${consoleErrors.join('\n')}`);

    // No token yet: the agent answers 401 and the panel asks for one.
    await page.getByTestId(T('token-prompt')).waitFor({ timeout: 15_000 });
    await page.getByTestId(T('token-input')).fill(TOKEN);
    await page.getByTestId(T('token-save')).click();
    await page.getByTestId(T('agent-info')).waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('wedsync-agent-token:')).length)).toBe(1);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);

    // What the agent knows shows up: targets, chart, weddings ahead (the demo is a wedding weekend).
    const apiCard = page.getByTestId(T('target api'));
    await expect(apiCard.getByTestId(T('observed-line')).count()).resolves.toBe(1);
    await expect(apiCard.getByTestId(T('anomaly-marker')).count()).resolves.toBeGreaterThan(0);
    await expect(apiCard.getByTestId(T('badge saturday')).textContent()).resolves.toBe('Saturday freeze');
    await page.getByTestId(T('timeline')).waitFor();
    expect(await page.locator('[data-testid^="data-testid wedsync-timeline-wedding"]').count()).toBeGreaterThan(0);

    // Set a floor through the UI, with the confirmation step.
    await page.getByTestId(T('override-open')).click();
    await page.getByTestId(T('override-form')).waitFor();
    await page.getByRole('radio', { name: 'api', exact: true }).check({ force: true });
    await page.getByRole('radio', { name: /Floor/ }).check({ force: true });
    await page.getByTestId(T('override-replicas')).fill('12');
    await page.getByTestId(T('override-duration')).fill('3h');
    await page.getByTestId(T('override-reason')).fill('browser test: VIP wedding');
    mkdirSync(join(PLUGIN_DIR, 'test-results'), { recursive: true });
    await page.getByTestId(T('override-form')).screenshot({ path: join(PLUGIN_DIR, 'test-results', 'panel-browser-override-form.png') });
    await page.getByTestId(T('override-review')).click();
    await expect(page.getByTestId(T('override-confirmation')).textContent()).resolves.toContain('Keep api at 12 replicas or more');
    await page.getByTestId(T('override-confirm')).click();

    // The agent has it…
    const found = await pollFor(async () => {
      const { overrides } = await agentApi<{ overrides: Array<{ id: string; target: string; type: string; replicas?: number; reason: string; author: string }> }>('/overrides');
      return overrides.find((o) => o.reason === 'browser test: VIP wedding');
    });
    expect(found).toMatchObject({ target: 'api', type: 'floor', replicas: 12 });
    // …and the panel shows it as a badge with time left, after reloading the status.
    await page.getByTestId(T(`badge override_${found.id}`)).waitFor({ timeout: 15_000 });
    await expect(page.getByTestId(T(`badge override_${found.id}`)).textContent()).resolves.toMatch(/Override floor 12 · \d+h \d\dm left/);

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.close();
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
