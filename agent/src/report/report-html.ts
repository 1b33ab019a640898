/**
 * report.html: one self-contained page (inline CSS, the uPlot chart library and its stylesheet inlined,
 * the chart data as inline JSON; nothing fetched) that people can open from a file, mail, or attach to a
 * ticket. The charts are interactive: hover for values, drag to zoom, click the legend to toggle a policy.
 */
import type { TargetReport } from './report-model';
import { esc, scriptJson, SERIES_COLOURS } from './report-style';
import { chartData } from './chart-data';
import { chartLibrary } from './chart-library';
import { REPORT_SCRIPT } from './report-client';
import { costOf } from '../replay/compare';
import { money } from '../plan/price';
const num = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 1 });
const day = (t: number) => new Date(t).toISOString().slice(0, 10);
const instant = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ') + 'Z';

export interface ReportPage {
  title: string;
  source: string;
  fromMs: number;
  toMs: number;
  generatedAtMs: number;
  targets: TargetReport[];
}

/** "WedSync replay: trace demo (2027-06-04 00:00Z – 2027-06-07 00:00Z)": what was replayed, and when. */
export function reportTitle(kind: 'replay' | 'backtest', subject: string, fromMs: number, toMs: number): string {
  return `WedSync ${kind}: ${subject} (${instant(fromMs)} – ${instant(toMs)})`;
}

/** Wide tables scroll inside the page's width instead of running off it. */
const scrollable = (table: string) => `<div class="table-wrap">${table}</div>`;

/** Replica-hours in the price's currency; "unknown" (never 0) without a price. */
const cost = (r: TargetReport, replicaHours: number) => {
  const c = costOf(replicaHours, r.price);
  return c === null ? 'unknown' : esc(money(c, r.price.currency));
};

function priceNote(r: TargetReport): string {
  return r.price.perReplicaHour === null
    ? `<p class="note" data-testid="price">Cost unknown: ${esc(r.price.detail)} (give the config a <code>pricing</code> table and the target <code>cost.podRequests</code>).</p>`
    : `<p class="note" data-testid="price">One replica-hour costs ${esc(money(r.price.perReplicaHour, r.price.currency))} (${esc(r.price.source)}: ${esc(r.price.detail)}).</p>`;
}

function policyTable(r: TargetReport): string {
  const agent = r.policies[0].score;
  const rows = r.policies.map((p) => {
    const vs = agent.replicaHours ? `${num((p.score.replicaHours / agent.replicaHours) * 100)} %` : '—';
    return `<tr data-policy="${p.name}"><th scope="row"><span class="swatch" style="background:${SERIES_COLOURS[p.name]}"></span>${esc(p.label)}</th><td>${num(p.score.overloadMinutes)}</td><td>${num(p.score.unservedRequests)}</td><td>${num(p.score.replicaHours)}</td><td data-testid="cost">${cost(r, p.score.replicaHours)}</td><td>${vs}</td><td>${p.score.peakReplicas}</td></tr>`;
  });
  return (
    scrollable(
      `<table class="policies" data-testid="policy-table"><thead><tr><th>policy</th><th>overload minutes</th><th>unserved requests</th><th>replica-hours</th><th>cost (${esc(r.price.currency)})</th><th>replica-hours vs agent</th><th>peak replicas</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    ) + priceNote(r)
  );
}

function weekendTable(r: TargetReport): string {
  if (!r.weekends.length) return '<p class="note">No weekend in this range.</p>';
  const names = r.policies.map((p) => p.name);
  const head = names.map((n) => `<th colspan="3">${esc(n.replace('_', ' '))}</th>`).join('');
  const sub = names.map(() => `<th>overload min</th><th>replica-h</th><th>${esc(r.price.currency)}</th>`).join('');
  const rows = r.weekends.map((w) => {
    const cells = names
      .map((n) => {
        const c = w.perPolicy[n];
        const bad = c && c.overloadMinutes > 0 ? ' class="bad"' : '';
        return c
          ? `<td${bad}>${num(c.overloadMinutes)}</td><td>${num(c.replicaHours)}</td><td>${cost(r, c.replicaHours)}</td>`
          : '<td>—</td><td>—</td><td>—</td>';
      })
      .join('');
    return `<tr><th scope="row">${day(w.fromMs)} – ${day(w.toMs - 1)}</th><td>${w.weddings}</td>${cells}</tr>`;
  });
  return scrollable(
    `<table class="weekends" data-testid="weekend-table"><thead><tr><th rowspan="2">weekend (Sat–Sun, UTC)</th><th rowspan="2">weddings</th>${head}</tr><tr>${sub}</tr></thead><tbody>${rows.join('')}</tbody></table>`,
  );
}

function frontierTable(r: TargetReport): string {
  const rows = r.frontier.points.map(
    (p) =>
      `<tr><td>× ${p.factor.toFixed(2)}</td><td>${(p.targetUtilization * 100).toFixed(1)} %</td><td>${num(p.score.overloadMinutes)}</td><td>${num(p.score.unservedRequests)}</td><td>${num(p.score.replicaHours)}</td></tr>`,
  );
  return scrollable(
    `<table class="frontier" data-testid="frontier-table"><thead><tr><th>utilisation factor</th><th>HPA target utilisation</th><th>overload minutes</th><th>unserved requests</th><th>replica-hours</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
  );
}

function gapsNote(r: TargetReport): string {
  if (!r.gaps.count) return '<p class="note" data-testid="gaps">No gaps: every minute had a reading.</p>';
  const first = r.gaps.ranges
    .slice(0, 5)
    .map(([a, b]) => `${instant(r.startMs + a * r.stepMs)} (${b - a + 1} min)`)
    .join(', ');
  return `<p class="note warn" data-testid="gaps"><strong>${r.gaps.count} gap${r.gaps.count === 1 ? '' : 's'}, ${num(r.gaps.missingSteps)} minutes without data</strong> (grey bands): the agent was shown no reading there, as in a live outage, and every policy is scored with the last value before. First: ${first}${r.gaps.count > 5 ? ', …' : ''}.</p>`;
}

/** Each policy's replica-hours as a bar (plain HTML: a number per policy needs no chart library). */
function replicaHoursBars(r: TargetReport): string {
  const max = Math.max(...r.policies.map((p) => p.score.replicaHours), 1);
  const rows = r.policies.map(
    (p) =>
      `<div class="bar-row" data-series="${p.name}"><span class="bar-label">${esc(p.name.replace('_', ' '))}</span><span class="bar-track"><span class="bar" style="width:${((p.score.replicaHours / max) * 100).toFixed(1)}%;background:${SERIES_COLOURS[p.name]}"></span></span><span class="bar-value">${num(p.score.replicaHours)} h</span></div>`,
  );
  return `<div class="bars" data-testid="replica-hours-chart" role="img" aria-label="replica-hours per policy">${rows.join('')}</div>`;
}

/** The "why" marks as a list too: readable without hovering, and in print. */
function whyTable(r: TargetReport): string {
  if (!r.why.length)
    return '<p class="note" data-testid="why-none">No protection or calendar rule set the agent’s count in this range: it followed the load.</p>';
  const rows = r.why.map(
    (w) =>
      `<tr data-rule="${esc(w.rule)}"><td>${instant(w.atMs)}</td><td>${instant(w.untilMs)}</td><td><code>${esc(w.rule)}</code></td><td>${w.replicas}</td><td class="detail">${esc(w.detail)}</td></tr>`,
  );
  return scrollable(
    `<table class="why" data-testid="why-table"><thead><tr><th>from</th><th>until</th><th>rule</th><th>replicas</th><th>why</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
  );
}

function weddingsNote(r: TargetReport): string {
  if (!r.weddings.length) return '<p class="note" data-testid="weddings">No wedding this target serves in this range.</p>';
  const list = r.weddings.map((w) => `${esc(w.title)}${w.protected ? ' (protected)' : ''}, ${instant(w.startMs)} – ${instant(w.endMs)}`);
  return `<p class="note" data-testid="weddings">Weddings (purple bands): ${list.join('; ')}.</p>`;
}

function targetSection(r: TargetReport): string {
  const cluster = r.clusterQuery
    ? `What the cluster ran: <code>${esc(r.clusterQuery)}</code>.`
    : 'What the cluster ran: no replica series (kube-state-metrics or the agent’s own) in this range.';
  return `<section class="target" id="target-${esc(r.id)}" data-testid="target">
<h2>${esc(r.id)}</h2>
<p class="headline" data-testid="headline">${esc(r.headline.text)}</p>
<p class="note">${num(r.shape.capacityPerPod)} rps per pod at ${Math.round(r.shape.targetUtilization * 100)} % target utilisation, ${r.shape.podStartupSeconds} s pod start-up, ${r.shape.minReplicas}–${r.shape.maxReplicas} replicas. ${cluster}</p>
<p class="note how">Hover for values; drag across a chart to zoom (both charts follow), double-click to see the whole range; click a legend entry to hide or show it. Purple bands: weddings live (darker: protected); grey: no data.</p>
${weddingsNote(r)}
<h3>Demand and ready capacity</h3>
<div class="chart" data-chart="capacity" data-testid="demand-capacity-chart"></div>
<p class="note">Capacity = ready pods × capacity per pod (pods serve a start-up after they are asked for). The red strips along the bottom mark each shown policy’s overload minutes.</p>
<h3>Replicas asked, and why</h3>
<div class="chart" data-chart="replicas" data-testid="replicas-chart"></div>
<p class="note">Dashed marks: from there a protection or calendar rule of the planner set the agent’s count, not the load (hover a mark for the planner’s reason).</p>
${whyTable(r)}
<script type="application/json" data-chart-data>${scriptJson(chartData(r))}</script>
${policyTable(r)}
<h3>Replica-hours</h3>
${replicaHoursBars(r)}
<h3>Per weekend</h3>
${weekendTable(r)}
<h3>HPA with more headroom</h3>
<p class="note">HPA v2 replayed with its target utilisation lowered step by step: what a team buys instead of an agent.</p>
${frontierTable(r)}
${gapsNote(r)}
</section>`;
}

const STYLE = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1180px;padding:16px 24px;color:#1d2430;background:#fff}
h1{font-size:22px;margin:8px 0}h2{font-size:19px;margin:28px 0 6px;border-top:1px solid #d9dee7;padding-top:18px}h3{font-size:15px;margin:18px 0 6px}
.headline{font-size:17px;font-weight:600;background:#eef5ff;border-left:4px solid #1f6feb;padding:8px 12px;margin:8px 0}
.note{color:#4a5568;margin:6px 0}.warn{color:#8a4b00;background:#fff7e6;padding:6px 10px;border-left:4px solid #e6a700}
table{border-collapse:collapse;margin:0;font-variant-numeric:tabular-nums}th,td{border-bottom:1px solid #e3e7ee;padding:4px 8px;text-align:right}
th:first-child,td:first-child{text-align:left}thead th{background:#f4f6f9;font-weight:600}td.bad{color:#b42318;font-weight:600}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:6px;vertical-align:-1px}
.why th:last-child{text-align:left}.table-wrap{max-width:100%;overflow-x:auto;margin:6px 0 12px}td.detail{text-align:left;min-width:24em}
.chart{position:relative;width:100%;min-height:200px}.u-legend{text-align:left;font-size:13px}.u-legend .u-series{cursor:pointer}
.tooltip{position:absolute;z-index:10;pointer-events:none;background:rgba(255,255,255,.96);border:1px solid #c9d1dc;border-radius:4px;padding:6px 8px;font-size:12px;box-shadow:0 2px 6px rgba(0,0,0,.12);white-space:nowrap}
.tip-time{font-weight:600;margin-bottom:2px}.tip-row .tip-value{margin:0 3px 0 8px}.tip-note,.tip-why{color:#4a5568;max-width:420px;white-space:normal}.tip-why{color:#6b2fa0;font-weight:600}
.why-mark{position:absolute;top:0;bottom:0;width:0;border-left:1.5px dashed #6b2fa0;pointer-events:none}
.why-label{position:absolute;top:calc(2px + var(--row) * 17px);left:3px;font-size:11px;line-height:15px;background:#f3e8fb;color:#4a1d6e;border:1px solid #c9a6e4;border-radius:3px;padding:0 4px;white-space:nowrap;pointer-events:auto;cursor:help}
.why-mark.no-label .why-label{display:none}
.bars{margin:6px 0}.bar-row{display:flex;align-items:center;gap:8px;margin:3px 0}.bar-label{flex:0 0 110px;text-align:right}.bar-track{flex:1 1 auto}.bar{display:block;height:14px;min-width:1px}.bar-value{flex:0 0 90px}
code{font-size:12px;background:#f4f6f9;padding:1px 4px}`;

export function reportHtml(page: ReportPage): string {
  const lib = chartLibrary();
  const nav = page.targets.length > 1 ? `<nav>${page.targets.map((t) => `<a href="#target-${esc(t.id)}">${esc(t.id)}</a>`).join(' · ')}</nav>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(page.title)}</title><style>${lib.css}</style><style>${STYLE}</style></head>
<body>
<header><h1>${esc(page.title)}</h1>
<p class="note">Source: ${esc(page.source)} · ${instant(page.fromMs)} – ${instant(page.toMs)} · generated ${instant(page.generatedAtMs)} by wedsync-agent. Every policy is scored the same way: pods asked for at minute t serve from t + start-up; demand above ready capacity is unserved; cost is replica-hours asked for, priced at the target’s replica-hour price where the config has one.</p>
${nav}</header>
<main>${page.targets.map(targetSection).join('\n')}</main>
<script>/* uPlot ${lib.version}, MIT licence, https://github.com/leeoniya/uPlot */
${lib.script}</script>
<script>${REPORT_SCRIPT}</script>
</body></html>
`;
}
