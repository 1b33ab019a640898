/// <reference lib="dom" />
/**
 * The backtest report in a real browser: Debian's Chromium (driven by playwright-core) opens report.html
 * from `replay --report` straight from disk. No console errors, no request beyond the file itself (the page
 * is self-contained), the chart, tables and headline are there, and the legend toggles a policy's line.
 * Saves .tmp/backtest-report.png (the README's docs/backtest-report.png comes from this run).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { main } from '../agent/src/cli/main';
import { writeSyntheticTrace } from '../agent/test-support/synthetic-trace';
import { CHROMIUM, CHROMIUM_ARGS, REPO, requireChromium } from './support/panel-harness/processes';

let browser: Browser | undefined;
const dir = mkdtempSync(join(tmpdir(), 'wedsync-report-browser-'));

beforeAll(async () => {
  requireChromium();
  const trace = join(dir, 'trace');
  writeSyntheticTrace(trace, { days: 3, start: '2027-06-04T00:00:00Z' });
  // Forty minutes with no rows on Sunday morning: a gap the report must show.
  const rows = readFileSync(join(trace, 'trace.csv'), 'utf8').split('\n');
  writeFileSync(join(trace, 'trace.csv'), [...rows.slice(0, 1 + 2 * 1440 + 600), ...rows.slice(1 + 2 * 1440 + 640)].join('\n'));
  const err: string[] = [];
  const code = await main(['node', 'wedsync-agent', 'replay', '--trace', trace, '--report', join(dir, 'report')], { out: () => undefined, err: (l) => err.push(l) });
  if (code !== 0) throw new Error(`replay --report failed: ${err.join('\n')}`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('report.html opens in Chromium without errors or requests, with its chart, tables and headline', async () => {
  const page = await browser!.newPage({ viewport: { width: 1220, height: 1500 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && problems.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  const file = `file://${join(dir, 'report', 'report.html')}`;
  await page.goto(file);

  await page.getByTestId('demand-capacity-chart').waitFor();
  expect(await page.locator('[data-testid=demand-capacity-chart] polyline.capacity').count()).toBe(5); // agent, HPA, HPA + headroom, static peak, oracle
  expect(await page.locator('[data-testid=demand-capacity-chart] polyline.demand').count()).toBe(1);
  expect(await page.locator('[data-testid=demand-capacity-chart] rect.wedding').count()).toBeGreaterThanOrEqual(1);
  expect(await page.locator('[data-testid=demand-capacity-chart] rect.gap').count()).toBe(1);
  expect(await page.locator('[data-testid=demand-capacity-chart] g.overload').count()).toBe(5);
  expect(await page.locator('[data-testid=policy-table] tbody tr').count()).toBe(5);
  expect(await page.locator('[data-testid=weekend-table] tbody tr').count()).toBe(1);
  expect(await page.locator('[data-testid=frontier-table] tbody tr').count()).toBe(15);
  expect(await page.getByTestId('replica-hours-chart').isVisible()).toBe(true);
  expect(await page.getByTestId('headline').textContent()).toMatch(/HPA alone (needs [\d.]+ % more replica-hours|has [\d.]+ overload minutes)/);
  expect(await page.getByTestId('gaps').textContent()).toMatch(/1 gap, 40 minutes without data/);

  // The legend hides and shows a policy's line.
  const agentLine = page.locator('[data-testid=demand-capacity-chart] polyline[data-series=agent]');
  await page.locator('button.legend-item[data-series=agent]').click();
  expect(await agentLine.isVisible()).toBe(false);
  await page.locator('button.legend-item[data-series=agent]').click();
  expect(await agentLine.isVisible()).toBe(true);

  mkdirSync(join(REPO, '.tmp'), { recursive: true });
  await page.screenshot({ path: join(REPO, '.tmp', 'backtest-report.png'), fullPage: false });
  expect(problems).toEqual([]);
  expect(requests).toEqual([file]);
  await page.close();
}, 60_000);
