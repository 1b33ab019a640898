/**
 * The report's charts as inline SVG strings. Weeks of minutes are far more points than pixels, so each
 * pixel column keeps the highest demand and the lowest capacity of its minutes: a short overload is never
 * smoothed away. Overload is drawn from the exact per-minute figures, one strip per policy.
 */
import { readyReplicas, startupSteps } from '../replay/score';
import type { PolicyName, TargetReport } from './report-model';

export const SERIES_COLOURS: Record<PolicyName | 'demand', string> = {
  demand: '#1d2430',
  agent: '#1f6feb',
  cluster_ran: '#8c564b',
  hpa_v2: '#e8590c',
  hpa_headroom: '#d6336c',
  static_peak: '#868e96',
  oracle: '#2f9e44',
};

const W = 1120;
const PLOT_H = 300;
const LEFT = 80;
const RIGHT = 12;
const TOP = 10;
const STRIP_H = 9;
const COLUMNS = 1000;

export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f1 = (x: number) => (Math.round(x * 10) / 10).toString();

function niceStep(max: number, ticks: number): number {
  const raw = max / ticks;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
}

export function chartSvg(r: TargetReport): string {
  const n = r.steps;
  const cols = Math.min(COLUMNS, n);
  const per = n / cols;
  const plotW = W - LEFT - RIGHT;
  const x = (step: number) => LEFT + (step / n) * plotW;
  const lag = startupSteps(r.shape);
  const capacity = r.policies.map((p) => readyReplicas(p.replicas, lag));
  const colDemand = new Float64Array(cols);
  const colCap = r.policies.map(() => new Float64Array(cols).fill(Infinity));
  const colOver = r.policies.map(() => new Uint8Array(cols));
  for (let k = 0; k < n; k++) {
    const c = Math.min(cols - 1, Math.floor(k / per));
    if (r.demand[k] > colDemand[c]) colDemand[c] = r.demand[k];
    r.policies.forEach((_, i) => {
      const cap = capacity[i][k] * r.shape.capacityPerPod;
      if (cap < colCap[i][c]) colCap[i][c] = cap;
      if (r.demand[k] - cap > 1e-9) colOver[i][c] = 1;
    });
  }
  let yMax = 0;
  for (let c = 0; c < cols; c++) yMax = Math.max(yMax, colDemand[c]);
  r.policies.forEach((p, i) => {
    if (p.name === 'static_peak') return; // a flat line far above everything else would squash the chart
    for (let c = 0; c < cols; c++) yMax = Math.max(yMax, colCap[i][c]);
  });
  const step = niceStep(yMax * 1.05 || 1, 5);
  yMax = Math.ceil((yMax * 1.05 || 1) / step) * step;
  const y = (v: number) => TOP + PLOT_H - (Math.min(v, yMax) / yMax) * PLOT_H;
  const colX = (c: number) => f1(LEFT + ((c + 0.5) / cols) * plotW);
  const line = (vals: Float64Array) => Array.from(vals, (v, c) => `${colX(c)},${f1(y(v))}`).join(' ');

  const parts: string[] = [];
  // Wedding bands and gaps behind everything.
  for (const w of r.weddings) {
    const a = Math.max(0, (w.startMs - r.startMs) / r.stepMs);
    const b = Math.min(n, (w.endMs - r.startMs) / r.stepMs);
    if (b <= a) continue;
    parts.push(`<rect class="wedding" x="${f1(x(a))}" y="${TOP}" width="${f1(Math.max(1, x(b) - x(a)))}" height="${PLOT_H}" fill="rgba(155,89,182,${w.protected ? 0.22 : 0.12})"><title>${esc(w.title)}${w.protected ? ' (protected)' : ''}</title></rect>`);
  }
  for (const [a, b] of r.gaps.ranges) parts.push(`<rect class="gap" x="${f1(x(a))}" y="${TOP}" width="${f1(Math.max(1, x(b + 1) - x(a)))}" height="${PLOT_H}" fill="#d5d8dc"><title>no data: ${b - a + 1} min</title></rect>`);
  // Axes: value ticks and one label per day (or week, on long ranges).
  for (let v = 0; v <= yMax + 1e-9; v += step) parts.push(`<line x1="${LEFT}" x2="${W - RIGHT}" y1="${f1(y(v))}" y2="${f1(y(v))}" stroke="#e9ecef"/><text x="${LEFT - 6}" y="${f1(y(v) + 4)}" text-anchor="end" font-size="11" fill="#4a5568">${v.toLocaleString('en-US')}</text>`);
  const days = (n * r.stepMs) / 86_400_000;
  const tickMs = days > 21 ? 7 * 86_400_000 : days > 2 ? 86_400_000 : 6 * 3_600_000;
  for (let t = Math.ceil(r.startMs / tickMs) * tickMs; t < r.startMs + n * r.stepMs; t += tickMs) {
    const xs = f1(x((t - r.startMs) / r.stepMs));
    const label = tickMs < 86_400_000 ? new Date(t).toISOString().slice(5, 16).replace('T', ' ') : new Date(t).toISOString().slice(5, 10);
    parts.push(`<line x1="${xs}" x2="${xs}" y1="${TOP}" y2="${TOP + PLOT_H}" stroke="#f1f3f5"/><text x="${xs}" y="${TOP + PLOT_H + 14}" text-anchor="middle" font-size="11" fill="#4a5568">${label}</text>`);
  }
  parts.push(`<text x="12" y="${TOP + PLOT_H / 2}" font-size="11" fill="#4a5568" transform="rotate(-90 12 ${TOP + PLOT_H / 2})" text-anchor="middle">requests / s</text>`);
  // Capacity per policy, then demand on top.
  r.policies.forEach((p, i) => {
    const dash = p.name === 'static_peak' || p.name === 'oracle' ? ' stroke-dasharray="5 3"' : '';
    parts.push(`<polyline class="capacity" data-series="${p.name}" fill="none" stroke="${SERIES_COLOURS[p.name]}" stroke-width="${p.name === 'agent' ? 1.8 : 1.2}"${dash} points="${line(colCap[i])}"><title>${esc(p.label)}: capacity</title></polyline>`);
  });
  parts.push(`<polyline class="demand" fill="none" stroke="${SERIES_COLOURS.demand}" stroke-width="1.1" points="${line(colDemand)}"><title>demand</title></polyline>`);
  // Overload strips: one row per policy under the plot.
  const stripTop = TOP + PLOT_H + 24;
  r.policies.forEach((p, i) => {
    const yS = stripTop + i * (STRIP_H + 4);
    const cells: string[] = [];
    for (let c = 0; c < cols; c++) if (colOver[i][c]) cells.push(`<rect x="${f1(LEFT + (c / cols) * plotW)}" y="${yS}" width="${f1(Math.max(1.2, plotW / cols))}" height="${STRIP_H}"/>`);
    parts.push(
      `<g class="overload" data-series="${p.name}" fill="#d62728"><text x="${LEFT - 6}" y="${yS + STRIP_H - 1}" text-anchor="end" font-size="10" fill="${SERIES_COLOURS[p.name]}">${esc(p.name.replace('_', ' '))}</text><rect x="${LEFT}" y="${yS}" width="${plotW}" height="${STRIP_H}" fill="#f8f9fa"/>${cells.join('')}<title>${esc(p.label)}: ${p.score.overloadMinutes} overload minutes</title></g>`,
    );
  });
  const h = stripTop + r.policies.length * (STRIP_H + 4) + 4;
  return `<svg class="chart" data-testid="demand-capacity-chart" viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" role="img" aria-label="${esc(r.id)}: demand, capacity per policy, overload minutes, weddings" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

export function replicaHoursSvg(r: TargetReport): string {
  const rowH = 22;
  const labelW = 190;
  const barMax = W - labelW - 120;
  const max = Math.max(...r.policies.map((p) => p.score.replicaHours), 1);
  const rows = r.policies.map((p, i) => {
    const w = (p.score.replicaHours / max) * barMax;
    const yy = i * rowH + 4;
    return `<g data-series="${p.name}"><text x="${labelW - 8}" y="${yy + 14}" text-anchor="end" font-size="12" fill="#1d2430">${esc(p.name.replace('_', ' '))}</text><rect x="${labelW}" y="${yy}" width="${f1(Math.max(1, w))}" height="${rowH - 6}" fill="${SERIES_COLOURS[p.name]}"/><text x="${f1(labelW + w + 6)}" y="${yy + 14}" font-size="12" fill="#1d2430">${p.score.replicaHours.toLocaleString('en-US')} h</text></g>`;
  });
  const h = r.policies.length * rowH + 8;
  return `<svg class="bars" data-testid="replica-hours-chart" viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" role="img" aria-label="replica-hours per policy" xmlns="http://www.w3.org/2000/svg">${rows.join('')}</svg>`;
}
