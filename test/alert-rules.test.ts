/**
 * alert-rules/ checked with the real tools from Debian's `prometheus` and `prometheus-alertmanager`
 * packages: promtool check/test rules, amtool check-config and route tests per severity. Plus the
 * conventions promtool cannot see: labels and annotations on every alert, runbook sections, and only
 * metric names the agent really exports.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { requireTool, runTool } from './support/alerting-tools';
import { ALERT_RULES_DIR, allowedMetricNames, loadRules, ruleFiles } from './support/alerting-metrics';
import { metricNamesIn } from './support/alerting-promql';
import { PAGE_DEFINITIONS } from '../agent/src/paging/definitions';
import { pagerDutySinkConfig } from '../agent/src/sinks/pagerduty/pagerduty-sink';
import { METRIC } from '../agent/src/metrics/names';

const ALERTMANAGER_YML = join(ALERT_RULES_DIR, 'alertmanager.yml');
/** The default agent selector (scripts/lib/render-alert-rules.mjs), the text the renderers replace. */
const DEFAULT_AGENT_SELECTOR = 'job="wedsync-agent"';
const TESTS_DIR = join(ALERT_RULES_DIR, 'tests');
const unitTestFiles = () =>
  readdirSync(TESTS_DIR)
    .filter((f) => f.endsWith('.test.yml'))
    .map((f) => join(TESTS_DIR, f));
const alerts = () => loadRules().filter((r) => r.alert);

describe('tools', () => {
  test.each([
    ['promtool', 'prometheus'],
    ['amtool', 'prometheus-alertmanager'],
  ])('a missing %s fails with the Debian install hint', (tool, pkg) => {
    expect(() => requireTool(tool, '/nonexistent-dir')).toThrow(`apt-get install -y --no-install-recommends ${pkg}`);
  });
});

describe('alert rules (real promtool)', () => {
  test.each(ruleFiles())('promtool check rules %s', (file) => {
    const r = runTool('promtool', ['check', 'rules', file]);
    expect(r.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(r.status).toBe(0);
  });

  test('promtool test rules: every unit test passes (each alert fires when it should, stays quiet when not)', () => {
    const r = runTool('promtool', ['test', 'rules', ...unitTestFiles()], TESTS_DIR);
    expect(r.output).not.toMatch(/FAILED/);
    expect(r.status).toBe(0);
  });

  test('promtool test rules fails on a wrong expectation (the unit tests can fail)', () => {
    const broken = readFileSync(join(TESTS_DIR, 'agent.test.yml'), 'utf8').replace('wedding_day: "true" }', 'wedding_day: "false" }');
    const dir = mkdtempSync(join(tmpdir(), 'wedsync-promtool-'));
    const file = join(dir, 'broken.test.yml');
    writeFileSync(file, broken.replace(/\.\.\/rules\//g, join(ALERT_RULES_DIR, 'rules') + '/'));
    try {
      const r = runTool('promtool', ['test', 'rules', file]);
      expect(r.status).not.toBe(0);
      expect(r.output).toMatch(/FAILED/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('every alert has a unit test where it fires and one where it stays quiet', () => {
    const fires = new Set<string>();
    const quiet = new Set<string>();
    for (const file of unitTestFiles()) {
      const doc = parse(readFileSync(file, 'utf8')) as { tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[] };
      for (const t of doc.tests) for (const a of t.alert_rule_test ?? []) (a.exp_alerts?.length ? fires : quiet).add(a.alertname);
    }
    for (const { alert } of alerts()) {
      expect({ alert, fires: fires.has(alert!) }).toEqual({ alert, fires: true });
      expect({ alert, quiet: quiet.has(alert!) }).toEqual({ alert, quiet: true });
    }
  });
});

describe('alert rule conventions', () => {
  const runbook = readFileSync(join(ALERT_RULES_DIR, 'RUNBOOK.md'), 'utf8');
  const runbookAnchors = new Set([...runbook.matchAll(/^## (\S+)\s*$/gm)].map((m) => m[1].toLowerCase()));

  test('covers every alert the issue asks for', () => {
    expect(
      alerts()
        .map((a) => a.alert)
        .sort(),
    ).toEqual(
      expect.arrayContaining([
        'WedSyncAgentDown',
        'WedSyncAgentNoLeader',
        'WedSyncMetricsStale',
        'WedSyncScalingFailed',
        'WedSyncAtMaxReplicasOverloaded',
        'WedSyncForecastErrorHigh',
        'WedSyncWeddingCriticalAnomaly',
        'WedSyncSinkFailing',
        'WedSyncSinkDropping',
        'WedSyncDeployDuringFreeze',
        'WedSyncKubernetesUnreachable',
      ]),
    );
  });

  const pagingAlerts = new Set(Object.values(PAGE_DEFINITIONS).map((d) => d.alert));

  test.each(Object.values(PAGE_DEFINITIONS).map((d) => [d.kind, d] as const))(
    "one truth for paging: %s is paged by its alert rule on the agent's series only, leaving delivered pages to the agent",
    (kind, def) => {
      const rule = alerts().find((a) => a.alert === def.alert);
      expect(rule).toBeDefined();
      expect(rule!.expr).toContain(`${METRIC.pageCondition}{kind="${kind}"}`);
      expect(rule!.expr).toMatch(new RegExp(`unless on \\(cluster, kind, subject\\)\\s+max by \\(cluster, kind, subject\\) \\(${METRIC.pageDelivered}\\)`));
      // Thresholds live in the agent: the rule reads no other metric (the agent's own wedding_day and severity ride on the series).
      expect(metricNamesIn(rule!.expr).sort()).toEqual([METRIC.pageCondition, METRIC.pageDelivered].sort());
      // The hand-off window: longer than the sink's default handOffAfterSeconds plus a 30 s scrape and a 30 s evaluation.
      const handOff = pagerDutySinkConfig.parse({ type: 'pagerduty', routingKey: 'k' }).handOffAfterSeconds;
      expect(seconds(rule!.for!)).toBeGreaterThanOrEqual(handOff + 60);
    },
  );

  test("no other alert reads the agent's paging inputs with thresholds of its own", () => {
    for (const rule of alerts().filter((a) => !pagingAlerts.has(a.alert!))) {
      expect({
        alert: rule.alert,
        reads: metricNamesIn(rule.expr).filter((n) => [METRIC.utilizationRatio, METRIC.scaleErrorsTotal, METRIC.replicasMax].includes(n as never)),
      }).toEqual({ alert: rule.alert, reads: [] });
      // One deliberate reader: a deploy during a freeze stands back for a break-glass change (one page for it).
      if (rule.alert === 'WedSyncDeployDuringFreeze')
        expect(rule.expr).toMatch(
          new RegExp(
            `unless on \\(cluster, target\\)\\s+label_replace\\(max by \\(cluster, subject\\) \\(max_over_time\\(${METRIC.pageCondition}\\{kind="break-glass-during-freeze"\\}`,
          ),
        );
      else expect(rule.expr).not.toContain(METRIC.pageCondition);
    }
  });

  test.each(alerts().map((a) => [a.alert!, a] as const))('%s: severity, summary, description, runbook section, wedding_day join', (name, rule) => {
    // kube-prometheus' severities; the wedding-day urgency rides in its own label (wedding_day).
    expect(['critical', 'warning', 'info']).toContain(rule.labels?.severity);
    expect(rule.annotations?.summary?.length).toBeGreaterThan(10);
    expect(rule.annotations?.description?.length).toBeGreaterThan(30);
    const anchor = rule.annotations?.runbook_url?.match(/RUNBOOK\.md#(.+)$/)?.[1];
    expect(anchor).toBe(name.toLowerCase());
    expect(runbookAnchors.has(anchor!)).toBe(true);
    // The wedding_day label comes from the agent's page condition (paging alerts) or the one-series-per-cluster info join.
    if (Object.values(PAGE_DEFINITIONS).some((d) => d.alert === name)) expect(rule.expr).toContain(METRIC.pageCondition);
    else expect(rule.expr).toMatch(/group_left \(wedding_day\) wedsync_cluster:wedding_day:info/);
  });

  test.each(alerts().map((a) => [a.alert!, a.labels!.severity] as const))('RUNBOOK.md: the %s section opens with its severity (%s)', (name, severity) => {
    const section = runbook.split(/^## /m).find((s) => s.startsWith(`${name}\n`));
    expect(section?.split('\n')[1]).toMatch(new RegExp(`^\\*\\*${severity}\\*\\*`));
  });

  test('alert-rules/README.md lists every rule file and every alert with its severity', () => {
    const readme = readFileSync(join(ALERT_RULES_DIR, 'README.md'), 'utf8');
    for (const file of ruleFiles()) expect(readme).toContain(`\`rules/${basename(file)}\``);
    for (const a of alerts()) expect(readme).toMatch(new RegExp(`^\\| ${a.alert} \\| ${a.labels!.severity} \\|`, 'm'));
  });

  test('the agent is selected only through the replaceable default selector job="wedsync-agent" (as mixins do)', () => {
    for (const rule of loadRules()) {
      const selectors = [...rule.expr.matchAll(/\bup\{([^}]*)\}/g)].map((m) => m[1]);
      for (const s of selectors)
        expect({ rule: rule.alert ?? rule.record, selector: s }).toEqual({ rule: rule.alert ?? rule.record, selector: DEFAULT_AGENT_SELECTOR });
      expect(rule.expr.replaceAll(`up{${DEFAULT_AGENT_SELECTOR}}`, '')).not.toMatch(/wedsync-agent"/);
    }
  });

  test('rendered with another selector (scripts/render-alert-rules.mjs), WedSyncAgentDown watches that agent and no other (real promtool)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wedsync-selector-'));
    try {
      const out = join(dir, 'rules');
      execFileSync(process.execPath, [
        join(ALERT_RULES_DIR, '..', 'scripts', 'render-alert-rules.mjs'),
        '--selector',
        'job="kube-wedsync",namespace="ops"',
        '--out',
        out,
      ]);
      // c1's agent is down under the custom selector, c2's is up; c3 is down under the default job name, which no longer counts.
      const agentDown = alerts().find((a) => a.alert === 'WedSyncAgentDown')!;
      const test = {
        rule_files: ruleFiles().map((f) => join(out, basename(f))),
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series: [
              { series: 'up{job="kube-wedsync",namespace="ops",cluster="c1"}', values: '0x10' },
              { series: 'up{job="kube-wedsync",namespace="ops",cluster="c2"}', values: '1x10' },
              { series: 'up{job="wedsync-agent",cluster="c3"}', values: '0x10' },
            ],
            alert_rule_test: [
              {
                eval_time: '5m',
                alertname: 'WedSyncAgentDown',
                exp_alerts: [
                  {
                    exp_labels: { severity: 'critical', cluster: 'c1' },
                    exp_annotations: { ...agentDown.annotations, summary: 'WedSync agent down in cluster "c1"' },
                  },
                ],
              },
            ],
          },
        ],
      };
      const file = join(dir, 'selector.test.yml');
      writeFileSync(file, stringify(test));
      const r = runTool('promtool', ['test', 'rules', file]);
      expect(r.output).not.toMatch(/FAILED/);
      expect(r.status).toBe(0);
      // The same test against the shipped rules fails: they watch job="wedsync-agent" (c3), not c1.
      writeFileSync(file, stringify({ ...test, rule_files: ruleFiles() }));
      expect(runTool('promtool', ['test', 'rules', file]).status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the runbook has one section per alert and none for alerts that do not exist', () => {
    expect([...runbookAnchors].sort()).toEqual(
      alerts()
        .map((a) => a.alert!.toLowerCase())
        .sort(),
    );
  });

  test('rules read only metrics the agent exports, our recording rules, or up', () => {
    const allowed = allowedMetricNames();
    for (const rule of loadRules()) {
      const unknown = metricNamesIn(rule.expr).filter((n) => !allowed.has(n));
      expect({ rule: rule.alert ?? rule.record, unknown }).toEqual({ rule: rule.alert ?? rule.record, unknown: [] });
    }
  });
});

describe('alertmanager.yml (real amtool)', () => {
  test('amtool check-config', () => {
    const r = runTool('amtool', ['check-config', ALERTMANAGER_YML]);
    expect(r.output).toMatch(/SUCCESS/);
    expect(r.status).toBe(0);
  });

  // [labels of the alert, receiver it must reach]
  // Every kube-prometheus severity, on a wedding day and not: critical pages (high urgency on a wedding
  // day), warning is a ticket, info notifies nobody.
  const routes: [string[], string][] = [
    [['severity=critical', 'wedding_day=true'], 'pagerduty-wedding-day'],
    [['severity=critical', 'wedding_day=false'], 'pagerduty'],
    [['severity=critical'], 'pagerduty'],
    [['severity=warning', 'wedding_day=true'], 'pagerduty-tickets'],
    [['severity=warning', 'wedding_day=false'], 'pagerduty-tickets'],
    [['severity=info', 'wedding_day=true'], 'null'],
    [['severity=info', 'wedding_day=false'], 'null'],
    [['alertname=SomethingUnlabelled'], 'pagerduty-tickets'],
    // The severities of earlier versions are gone: a leftover rule still reaches someone, as a ticket.
    [['severity=page', 'wedding_day=true'], 'pagerduty-tickets'],
  ];
  test.each(routes)('amtool config routes test %j → %s', (labels, receiver) => {
    const r = runTool('amtool', ['config', 'routes', 'test', `--config.file=${ALERTMANAGER_YML}`, `--verify.receivers=${receiver}`, ...labels]);
    expect(r.stdout.trim()).toBe(receiver);
    expect(r.status).toBe(0);
  });

  test('amtool route test fails for a wrong receiver (the route tests can fail)', () => {
    const r = runTool('amtool', [
      'config',
      'routes',
      'test',
      `--config.file=${ALERTMANAGER_YML}`,
      '--verify.receivers=pagerduty',
      'severity=critical',
      'wedding_day=true',
    ]);
    expect(r.status).not.toBe(0);
  });

  const config = parse(readFileSync(ALERTMANAGER_YML, 'utf8')) as {
    receivers: { name: string; pagerduty_configs?: Record<string, unknown>[] }[];
    inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal: string[] }[];
  };
  const pagerduty = (name: string) => config.receivers.find((r) => r.name === name)?.pagerduty_configs?.[0];

  test('wedding-day pages are critical (high urgency), other pages warning, unless the agent set the page severity; keys come from files', () => {
    expect(pagerduty('pagerduty-wedding-day')).toMatchObject({
      severity: '{{ if .CommonLabels.page_severity }}{{ .CommonLabels.page_severity }}{{ else }}critical{{ end }}',
      send_resolved: true,
    });
    expect(pagerduty('pagerduty')).toMatchObject({
      severity: '{{ if .CommonLabels.page_severity }}{{ .CommonLabels.page_severity }}{{ else }}warning{{ end }}',
      send_resolved: true,
    });
    for (const r of config.receivers)
      for (const pd of r.pagerduty_configs ?? []) {
        expect(pd.routing_key).toBeUndefined();
        expect(pd.routing_key_file).toMatch(/^\/.+/);
      }
  });

  test('agent down inhibits every other WedSync alert in its cluster', () => {
    const rule = config.inhibit_rules.find((r) => r.source_matchers.includes('alertname="WedSyncAgentDown"'));
    expect(rule).toBeDefined();
    expect(rule!.target_matchers).toEqual(expect.arrayContaining(['alertname=~"WedSync.+"', 'alertname!="WedSyncAgentDown"']));
    expect(rule!.equal).toEqual(['cluster']);
  });
});

/** A Prometheus duration such as `2m` or `90s`, in seconds. */
function seconds(d: string): number {
  const m = /^(\d+)(s|m|h)$/.exec(d);
  if (!m) throw new Error(`unsupported duration ${d}`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'];
}
