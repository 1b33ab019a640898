/**
 * report.html of `tune`: one self-contained page. Per target, the table (defaults, the pick, HPA v2 and
 * the oracle, on the tuning part and on the held-out part), the settings, and the frontier chart: every
 * candidate and the HPA-with-more-headroom frontier by replica-hours and overload minutes on the tuning
 * part, the defaults and the chosen point marked.
 */
import { esc, SERIES_COLOURS } from '../report/report-style';
import type { Score } from '../replay/score';
import type { TunedTarget } from './run-tune';

const num = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 1 });
const f1 = (x: number) => (Math.round(x * 10) / 10).toString();
const settingsText = (s: Record<string, number>) =>
  Object.keys(s).length
    ? Object.entries(s)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')
    : 'defaults';

export function frontierSvg(r: TunedTarget): string {
  const W = 720;
  const H = 360;
  const L = 70;
  const B = 40;
  const pts = [...r.candidates.map((c) => c.tune), ...r.frontier.map((f) => f.tune)];
  const xs = pts.map((s) => s.replicaHours);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const y1 = Math.max(1, ...pts.map((s) => s.overloadMinutes));
  const x = (s: Score) => L + ((s.replicaHours - x0) / (x1 - x0 || 1)) * (W - L - 20);
  const y = (s: Score) => 10 + (1 - s.overloadMinutes / y1) * (H - B - 10);
  const parts: string[] = [];
  parts.push(`<line x1="${L}" y1="${H - B}" x2="${W - 10}" y2="${H - B}" stroke="#868e96"/><line x1="${L}" y1="10" x2="${L}" y2="${H - B}" stroke="#868e96"/>`);
  parts.push(
    `<text x="${(W + L) / 2}" y="${H - 8}" text-anchor="middle" font-size="12">replica-hours (tuning part)</text><text x="14" y="${(H - B) / 2}" font-size="12" transform="rotate(-90 14 ${(H - B) / 2})" text-anchor="middle">overload minutes</text>`,
  );
  parts.push(
    `<text x="${L}" y="${H - B + 14}" font-size="11" text-anchor="middle">${num(x0)}</text><text x="${W - 20}" y="${H - B + 14}" font-size="11" text-anchor="middle">${num(x1)}</text><text x="${L - 4}" y="14" font-size="11" text-anchor="end">${num(y1)}</text>`,
  );
  const line = [...r.frontier].sort((a, b) => a.tune.replicaHours - b.tune.replicaHours).map((f) => `${f1(x(f.tune))},${f1(y(f.tune))}`);
  parts.push(
    `<polyline data-testid="hpa-frontier" fill="none" stroke="${SERIES_COLOURS.hpa_headroom}" stroke-width="1.5" points="${line.join(' ')}"><title>HPA v2 at the target utilisation × 1.0 … 0.3</title></polyline>`,
  );
  r.candidates.forEach((c, i) => {
    const chosen = i === r.choice.index;
    const defaults = i === 0;
    const fill = chosen ? '#2f9e44' : defaults ? '#1d2430' : SERIES_COLOURS.agent;
    const radius = chosen || defaults ? 7 : 4;
    const id = chosen ? ' data-testid="chosen-point"' : defaults ? ' data-testid="defaults-point"' : ' class="candidate"';
    parts.push(
      `<circle${id} cx="${f1(x(c.tune))}" cy="${f1(y(c.tune))}" r="${radius}" fill="${fill}" fill-opacity="${chosen || defaults ? 1 : 0.5}"><title>${esc(settingsText(c.settings))}: ${num(c.tune.replicaHours)} replica-hours, ${num(c.tune.overloadMinutes)} overload min</title></circle>`,
    );
  });
  return `<svg data-testid="frontier-chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(r.id)}: candidates and the HPA frontier" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

function table(r: TunedTarget): string {
  const row = (name: string, p: { tune: Score; heldOut: Score }, testid: string) =>
    `<tr data-testid="${testid}"><th scope="row">${esc(name)}</th>${[p.tune, p.heldOut].map((s) => `<td>${num(s.overloadMinutes)}</td><td>${num(s.unservedRequests)}</td><td>${num(s.replicaHours)}</td>`).join('')}</tr>`;
  return `<table data-testid="tune-table"><thead><tr><th rowspan="2">policy</th><th colspan="3">tuning part</th><th colspan="3">held-out part</th></tr><tr>${'<th>overload min</th><th>unserved</th><th>replica-hours</th>'.repeat(2)}</tr></thead><tbody>${[
    row('agent, defaults', r.defaults, 'row-defaults'),
    row(`agent, tuned (${settingsText(r.choice.settings)})`, r.chosen, 'row-tuned'),
    row('HPA v2', r.hpa, 'row-hpa'),
    row('oracle', r.oracle, 'row-oracle'),
  ].join('')}</tbody></table>`;
}

export function tuneReportHtml(results: readonly TunedTarget[], meta: { title: string; source: string; objective: string; generatedAtMs: number }): string {
  const day = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ') + 'Z';
  const sections = results.map(
    (r) => `<section data-target="${esc(r.id)}"><h2>${esc(r.id)}</h2>
<p data-testid="choice" class="${r.choice.met ? 'met' : 'unmet'}">${r.choice.met ? 'Chosen' : '<strong>Goal not met</strong>; nearest'}: <code>${esc(settingsText(r.choice.settings))}</code> — ${esc(r.choice.detail)}.</p>
<p>Tuned on ${day(r.split.tuneFromMs)} → ${day(r.split.heldOutFromMs)}; checked on ${day(r.split.heldOutFromMs)} → ${day(r.split.toMs)} (never seen by the choice). ${r.candidates.length} settings tried.</p>
${table(r)}
${frontierSvg(r)}
<p class="note">Dots: the settings tried (black: the defaults; green: the choice); line: HPA v2 with more headroom. Searched: ${r.space.map((s) => `<code>${esc(s.name)}</code>`).join(', ')}.</p></section>`,
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(meta.title)}</title><style>body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1d2430}table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #dee2e6;padding:4px 8px;text-align:right}th[scope=row]{text-align:left}.unmet{color:#c92a2a}.note{color:#4a5568}</style></head><body><h1>${esc(meta.title)}</h1><p>${esc(meta.source)} · objective: ${esc(meta.objective)} · generated ${day(meta.generatedAtMs)}</p>${sections.join('\n')}</body></html>\n`;
}
