/// <reference lib="dom" />
/**
 * The backtest report in a real browser: Debian's Chromium (driven by playwright-core) opens report.html
 * from `replay --report` straight from disk. No console errors, no request beyond the file itself (the page
 * is self-contained: uPlot is inlined), a title naming the trace and range, interactive charts (hover
 * tooltip with the trace's own values, drag to zoom with both charts following, legend toggles), the "why"
 * mark where Saturday protection held the agent's replicas through the wedding, and tables that fit the
 * page's width. Saves .tmp/backtest-report.png (the README's docs/backtest-report.png comes from this run).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { main } from '../agent/src/cli/main';
import { writeSyntheticTrace } from '../agent/test-support/synthetic-trace';
import { CHROMIUM, CHROMIUM_ARGS, REPO, requireChromium } from './support/panel-harness/processes';

let browser: Browser | undefined;
const dir = mkdtempSync(join(tmpdir(), 'wedsync-report-browser-'));
const trace = join(dir, 'trace');
const START = Date.parse('2027-06-04T00:00:00Z');
/** The trace's demand by minute, read from trace.csv here, not from the page. */
const demandAt = new Map<number, number>();

interface ChartView {
  field: string;
  labels: string[];
  shown: boolean[];
  points: number;
  xMin: number;
  xMax: number;
}
interface PageData {
  weddings: Array<{ from: number; to: number; protected: boolean }>;
  gaps: unknown[];
  series: Array<{ name: string; overload: number[] }>;
}

declare global {
  interface Window {
    wedsyncReport: {
      charts: Array<{
        series: Array<{ label: string; show: boolean }>;
        data: number[][];
        scales: { x: { min: number; max: number } };
        over: HTMLElement;
        valToPos(v: number, scale: string): number;
        wedsyncField: string;
      }>;
    };
  }
}

beforeAll(async () => {
  requireChromium();
  writeSyntheticTrace(trace, { days: 3, start: '2027-06-04T00:00:00Z' });
  // Forty minutes with no rows on Sunday morning: a gap the report must show.
  const rows = readFileSync(join(trace, 'trace.csv'), 'utf8').split('\n');
  writeFileSync(join(trace, 'trace.csv'), [...rows.slice(0, 1 + 2 * 1440 + 600), ...rows.slice(1 + 2 * 1440 + 640)].join('\n'));
  for (const line of readFileSync(join(trace, 'trace.csv'), 'utf8').split('\n').slice(1)) {
    const [ts, value] = line.split(',');
    if (ts) demandAt.set(Math.round((Date.parse(ts) - START) / 60_000), Number(value));
  }
  const err: string[] = [];
  const code = await main(['node', 'wedsync-agent', 'replay', '--trace', trace, '--report', join(dir, 'report')], {
    out: () => undefined,
    err: (l) => err.push(l),
  });
  if (code !== 0) throw new Error(`replay --report failed: ${err.join('\n')}`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const charts = (page: Page) =>
  page.evaluate(() =>
    window.wedsyncReport.charts.map((u) => ({
      field: u.wedsyncField,
      labels: u.series.map((s) => s.label),
      shown: u.series.map((s) => s.show),
      points: u.data[0].length,
      xMin: u.scales.x.min,
      xMax: u.scales.x.max,
    })),
  ) as Promise<ChartView[]>;

/** Page coordinates of minute `step` (from the trace's start) at `yFraction` down chart `index`'s plot. */
const pointOf = (page: Page, index: number, step: number, yFraction = 0.5) =>
  page.evaluate(
    ([i, t, f]) => {
      const u = window.wedsyncReport.charts[i];
      const box = u.over.getBoundingClientRect();
      return { x: box.left + u.valToPos(t, 'x'), y: box.top + box.height * f };
    },
    [index, START / 1000 + step * 60, yFraction] as const,
  );

test('report.html opens in Chromium without errors or requests: title, charts with tooltips, zoom, legend, "why" marks, tables that fit', async () => {
  const page = await browser!.newPage({ viewport: { width: 1220, height: 1500 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && problems.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  const file = `file://${join(dir, 'report', 'report.html')}`;
  await page.goto(file);

  // The title names what was replayed and the range, not the replay's internal target id.
  const title = `WedSync replay: trace ${trace} (2027-06-04 00:00Z – 2027-06-07 00:00Z)`;
  expect(await page.title()).toBe(title);
  expect(await page.locator('h1').textContent()).toBe(title);

  // Two uPlot charts (canvas, no hand-drawn SVG): demand + 5 policies' capacity, and 5 policies' replicas.
  await page.locator('[data-testid=demand-capacity-chart] canvas').waitFor();
  expect(await page.locator('svg').count()).toBe(0);
  const [load, replicas] = await charts(page);
  expect(load.field).toBe('capacity');
  expect(load.labels.slice(1, 3)).toEqual(['demand', 'WedSync agent: capacity']);
  expect(load.labels).toHaveLength(7); // time, demand, agent, HPA, HPA + headroom, static peak, oracle
  expect(replicas.labels).toHaveLength(6);
  expect(load.points).toBe(3 * 1440); // every minute its own point on three days
  const data = JSON.parse((await page.locator('script[data-chart-data]').textContent()) as string) as PageData;
  expect(data.weddings.length).toBeGreaterThanOrEqual(1);
  expect(data.gaps).toHaveLength(1);
  expect(data.series.map((s) => s.name)).toEqual(['agent', 'hpa_v2', 'hpa_headroom', 'static_peak', 'oracle']);
  expect(data.series.find((s) => s.name === 'hpa_v2')!.overload.some((v) => v === 1)).toBe(true);
  expect(await page.locator('[data-testid=policy-table] tbody tr').count()).toBe(5);
  expect(await page.locator('[data-testid=weekend-table] tbody tr').count()).toBe(1);
  expect(await page.locator('[data-testid=frontier-table] tbody tr').count()).toBe(15);
  expect(await page.locator('[data-testid=replica-hours-chart] .bar-row').count()).toBe(5);
  expect(await page.getByTestId('headline').textContent()).toMatch(/HPA alone (needs [\d.]+ % more replica-hours|has [\d.]+ overload minutes)/);
  expect(await page.getByTestId('gaps').textContent()).toMatch(/1 gap, 40 minutes without data/);

  // Hover Friday 20:30 on the load chart: the tooltip shows that minute and the trace's demand there.
  const step = 20 * 60 + 30;
  const at = await pointOf(page, 0, step);
  await page.mouse.move(at.x, at.y);
  const tip = page.locator('[data-testid=demand-capacity-chart] [data-testid=tooltip]');
  await tip.waitFor({ state: 'visible' });
  expect(await tip.locator('.tip-time').textContent()).toBe('2027-06-04 20:30Z');
  const shownDemand = await tip.locator('[data-series=demand] .tip-value').textContent();
  expect(shownDemand).toBe(demandAt.get(step)!.toLocaleString('en-US', { maximumFractionDigits: 1 }));
  expect(await tip.locator('[data-series=agent] .tip-label').textContent()).toBe('WedSync agent: capacity');
  expect(Number((await tip.locator('[data-series=agent] .tip-value').textContent())!.replace(/,/g, ''))).toBeGreaterThan(0);
  expect(await tip.locator('.tip-row').count()).toBe(6);

  // The "why": Saturday protection took over while the wedding was live, marked on the replicas chart.
  const marks = page.locator('[data-testid=replicas-chart] [data-testid=why-mark][data-rule=saturday-protection]');
  expect(await marks.count()).toBeGreaterThanOrEqual(1);
  const markT = Number(await marks.first().getAttribute('data-t'));
  const wedding = data.weddings.find((w) => w.protected)!;
  expect(markT).toBeGreaterThanOrEqual(wedding.from);
  expect(markT).toBeLessThan(wedding.to);
  expect(await marks.first().locator('.why-label').textContent()).toMatch(/^saturday-protection → \d+$/);
  expect(await marks.first().getAttribute('title')).toMatch(/wedding\(s\) live on a protected day/);
  expect(await page.locator('[data-testid=why-table] tr[data-rule=saturday-protection]').count()).toBeGreaterThanOrEqual(1);
  // Hovering the replicas chart inside that window says why, next to the agent's replicas.
  const markStep = (markT - START / 1000) / 60 + 30;
  const inWedding = await pointOf(page, 1, markStep, 0.8);
  await page.mouse.move(inWedding.x, inWedding.y);
  const tip2 = page.locator('[data-testid=replicas-chart] [data-testid=tooltip]');
  await tip2.waitFor({ state: 'visible' });
  expect(await tip2.getByTestId('tooltip-why').textContent()).toMatch(/^why: saturday-protection \(/);
  expect(await tip2.locator('.tip-note', { hasText: 'wedding live: Saturday wedding (protected)' }).count()).toBe(1);

  // The picture: the replicas chart's tooltip at the wedding, its "why" mark beside it.
  mkdirSync(join(REPO, '.tmp'), { recursive: true });
  await page.screenshot({ path: join(REPO, '.tmp', 'backtest-report.png'), fullPage: false });

  // The legend hides and shows a policy, in the chart the click was in.
  const agentLegend = page.locator('[data-testid=demand-capacity-chart] .u-legend tr.series-agent th');
  await agentLegend.click();
  expect((await charts(page))[0].shown[2]).toBe(false);
  expect(await page.locator('[data-testid=demand-capacity-chart] .u-legend tr.series-agent').getAttribute('class')).toMatch(/u-off/);
  await agentLegend.click();
  expect((await charts(page))[0].shown[2]).toBe(true);

  // Drag across Saturday afternoon to zoom: both charts show the same narrower range.
  const a = await pointOf(page, 0, 1440 + 12 * 60);
  const b = await pointOf(page, 0, 1440 + 18 * 60);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
  const zoomed = await charts(page);
  expect(zoomed[0].xMax - zoomed[0].xMin).toBeLessThan(7 * 3600);
  expect(zoomed[0].xMin).toBeGreaterThanOrEqual(START / 1000 + (1440 + 11 * 60) * 60);
  expect([zoomed[1].xMin, zoomed[1].xMax]).toEqual([zoomed[0].xMin, zoomed[0].xMax]);

  expect(problems).toEqual([]);
  expect(requests).toEqual([file]);
  await page.close();
}, 60_000);

test.each([1400, 1000, 700])(
  'at %i px wide, nothing runs off the page: wide tables scroll inside it',
  async (width) => {
    const page = await browser!.newPage({ viewport: { width, height: 900 } });
    await page.goto(`file://${join(dir, 'report', 'report.html')}`);
    await page.locator('[data-testid=demand-capacity-chart] canvas').waitFor();
    const fit = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(fit.scroll).toBeLessThanOrEqual(fit.client);
    // The weekend table is whole inside its scroller: its last column is reachable, not cut off.
    const wrap = await page.evaluate(() => {
      const t = document.querySelector('[data-testid=weekend-table]')!;
      const w = t.parentElement!;
      return { tableWidth: t.scrollWidth, wrapScroll: w.scrollWidth, wrapClient: w.clientWidth, overflow: getComputedStyle(w).overflowX };
    });
    expect(wrap.wrapScroll).toBeGreaterThanOrEqual(wrap.tableWidth);
    expect(wrap.wrapClient).toBeLessThanOrEqual(width);
    expect(wrap.overflow).toBe('auto');
    await page.close();
  },
  30_000,
);
