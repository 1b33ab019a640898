/**
 * report.html: one self-contained page (inline CSS, inline SVG, a few lines of script to toggle series;
 * nothing fetched) that people can open from a file, mail, or attach to a ticket.
 */
import { POLICY_NAMES, type TargetReport } from './report-model';
import { chartSvg, esc, replicaHoursSvg, SERIES_COLOURS } from './report-svg';
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
  return `<table class="policies" data-testid="policy-table"><thead><tr><th>policy</th><th>overload minutes</th><th>unserved requests</th><th>replica-hours</th><th>cost (${esc(r.price.currency)})</th><th>replica-hours vs agent</th><th>peak replicas</th></tr></thead><tbody>${rows.join('')}</tbody></table>${priceNote(r)}`;
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
        return c ? `<td${bad}>${num(c.overloadMinutes)}</td><td>${num(c.replicaHours)}</td><td>${cost(r, c.replicaHours)}</td>` : '<td>—</td><td>—</td><td>—</td>';
      })
      .join('');
    return `<tr><th scope="row">${day(w.fromMs)} – ${day(w.toMs - 1)}</th><td>${w.weddings}</td>${cells}</tr>`;
  });
  return `<table class="weekends" data-testid="weekend-table"><thead><tr><th rowspan="2">weekend (Sat–Sun, UTC)</th><th rowspan="2">weddings</th>${head}</tr><tr>${sub}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function frontierTable(r: TargetReport): string {
  const rows = r.frontier.points.map(
    (p) => `<tr><td>× ${p.factor.toFixed(2)}</td><td>${(p.targetUtilization * 100).toFixed(1)} %</td><td>${num(p.score.overloadMinutes)}</td><td>${num(p.score.unservedRequests)}</td><td>${num(p.score.replicaHours)}</td></tr>`,
  );
  return `<table class="frontier" data-testid="frontier-table"><thead><tr><th>utilisation factor</th><th>HPA target utilisation</th><th>overload minutes</th><th>unserved requests</th><th>replica-hours</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function gapsNote(r: TargetReport): string {
  if (!r.gaps.count) return '<p class="note" data-testid="gaps">No gaps: every minute had a reading.</p>';
  const first = r.gaps.ranges
    .slice(0, 5)
    .map(([a, b]) => `${instant(r.startMs + a * r.stepMs)} (${b - a + 1} min)`)
    .join(', ');
  return `<p class="note warn" data-testid="gaps"><strong>${r.gaps.count} gap${r.gaps.count === 1 ? '' : 's'}, ${num(r.gaps.missingSteps)} minutes without data</strong> (grey bands): the agent was shown no reading there, as in a live outage, and every policy is scored with the last value before. First: ${first}${r.gaps.count > 5 ? ', …' : ''}.</p>`;
}

function targetSection(r: TargetReport): string {
  const legend = POLICY_NAMES.filter((n) => n === 'agent' || r.policies.some((p) => p.name === n))
    .map((n) => `<button type="button" class="legend-item" data-series="${n}" aria-pressed="true"><span class="swatch" style="background:${SERIES_COLOURS[n]}"></span>${esc(r.policies.find((p) => p.name === n)!.label)}</button>`)
    .join('');
  const cluster = r.clusterQuery ? `What the cluster ran: <code>${esc(r.clusterQuery)}</code>.` : 'What the cluster ran: no replica series (kube-state-metrics or the agent’s own) in this range.';
  return `<section class="target" id="target-${esc(r.id)}" data-testid="target">
<h2>${esc(r.id)}</h2>
<p class="headline" data-testid="headline">${esc(r.headline.text)}</p>
<p class="note">${num(r.shape.capacityPerPod)} rps per pod at ${Math.round(r.shape.targetUtilization * 100)} % target utilisation, ${r.shape.podStartupSeconds} s pod start-up, ${r.shape.minReplicas}–${r.shape.maxReplicas} replicas. ${cluster}</p>
<figure>${chartSvg(r)}<figcaption><span class="legend-item static"><span class="swatch" style="background:${SERIES_COLOURS.demand}"></span>demand</span>${legend}<span class="legend-item static"><span class="swatch band wedding"></span>wedding live</span><span class="legend-item static"><span class="swatch band gap"></span>no data</span></figcaption></figure>
<p class="note">Capacity = ready pods × capacity per pod (pods serve a start-up after they are asked for). Each pixel column shows the highest demand and the lowest capacity of its minutes; the strips below mark each policy’s overload minutes.</p>
${policyTable(r)}
<h3>Replica-hours</h3>
${replicaHoursSvg(r)}
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
table{border-collapse:collapse;margin:6px 0 12px;font-variant-numeric:tabular-nums}th,td{border-bottom:1px solid #e3e7ee;padding:4px 8px;text-align:right}
th:first-child,td:first-child{text-align:left}thead th{background:#f4f6f9;font-weight:600}td.bad{color:#b42318;font-weight:600}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:6px;vertical-align:-1px}
.swatch.band.wedding{background:rgba(155,89,182,.25)}.swatch.band.gap{background:#d5d8dc}
figure{margin:8px 0}figcaption{display:flex;flex-wrap:wrap;gap:6px 14px;margin-top:4px}
.legend-item{font:inherit;background:none;border:1px solid #d9dee7;border-radius:4px;padding:2px 8px;cursor:pointer}.legend-item.static{border:none;cursor:default}
.legend-item[aria-pressed="false"]{opacity:.4;text-decoration:line-through}svg{display:block;max-width:100%;height:auto}code{font-size:12px;background:#f4f6f9;padding:1px 4px}`;

// Toggles a policy's lines and strips from its legend button. No network, no globals beyond this block.
const SCRIPT = `document.querySelectorAll('button.legend-item').forEach(function (b) {
  b.addEventListener('click', function () {
    var on = b.getAttribute('aria-pressed') !== 'true';
    b.setAttribute('aria-pressed', String(on));
    var section = b.closest('section');
    section.querySelectorAll('[data-series="' + b.dataset.series + '"]').forEach(function (el) { if (el !== b) el.style.display = on ? '' : 'none'; });
  });
});`;

export function reportHtml(page: ReportPage): string {
  const nav = page.targets.length > 1 ? `<nav>${page.targets.map((t) => `<a href="#target-${esc(t.id)}">${esc(t.id)}</a>`).join(' · ')}</nav>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(page.title)}</title><style>${STYLE}</style></head>
<body>
<header><h1>${esc(page.title)}</h1>
<p class="note">Source: ${esc(page.source)} · ${instant(page.fromMs)} – ${instant(page.toMs)} · generated ${instant(page.generatedAtMs)} by wedsync-agent. Every policy is scored the same way: pods asked for at minute t serve from t + start-up; demand above ready capacity is unserved; cost is replica-hours asked for, priced at the target’s replica-hour price where the config has one.</p>
${nav}</header>
<main>${page.targets.map(targetSection).join('\n')}</main>
<script>${SCRIPT}</script>
</body></html>
`;
}
