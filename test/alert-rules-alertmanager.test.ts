/**
 * The shipped alertmanager.yml in a real Alertmanager (Debian `prometheus-alertmanager`) with PagerDuty
 * pointed at a local stand-in: alerts posted to its API must reach PagerDuty with the right routing key
 * and event severity for each route, and WedSyncAgentDown must inhibit what it causes in its cluster.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTool } from './support/alerting-tools';
import { PAGE_KEY, TICKET_KEY, alertmanagerArgs, alertmanagerConfigForTest } from './support/alerting-config';
import { startPagerDutyStandIn, type PagerDutyStandIn } from './support/alerting-pagerduty-standin';
import { freePort, startProcess, waitFor, type RunningProcess } from './support/alerting-processes';

type Labels = Record<string, string>;
const alert = (labels: Labels) => ({ labels, annotations: { summary: `${labels.alertname} in ${labels.cluster}` }, startsAt: new Date().toISOString() });

interface AlertStatus {
  labels: Labels;
  status: { state: string; inhibitedBy: string[] };
}

describe('alertmanager.yml in a real Alertmanager, PagerDuty stand-in', () => {
  let dir = '';
  let am: RunningProcess | undefined;
  let pagerDuty: PagerDutyStandIn | undefined;
  let base = '';

  beforeAll(async () => {
    const bin = requireTool('prometheus-alertmanager');
    dir = mkdtempSync(join(tmpdir(), 'wedsync-alertmanager-'));
    pagerDuty = await startPagerDutyStandIn();
    const port = await freePort();
    base = `http://127.0.0.1:${port}/api/v2`;
    am = startProcess('alertmanager', bin, alertmanagerArgs(alertmanagerConfigForTest(dir, pagerDuty.url), join(dir, 'data'), port));
    await waitFor(
      'Alertmanager to be ready',
      async () => ((await fetch(`http://127.0.0.1:${port}/-/ready`).catch(() => undefined))?.ok ? true : undefined),
      15_000,
    );
  });

  afterAll(async () => {
    await am?.stop();
    await pagerDuty?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('routes each severity to its PagerDuty key and urgency; agent down inhibits its cluster only', async () => {
    const alerts: Labels[] = [
      { alertname: 'WedSyncAgentDown', severity: 'critical', cluster: 'c1', wedding_day: 'true' },
      { alertname: 'WedSyncMetricsStale', severity: 'critical', cluster: 'c1', target: 'api', wedding_day: 'true' },
      { alertname: 'WedSyncMetricsStale', severity: 'critical', cluster: 'c2', target: 'api', wedding_day: 'false' },
      { alertname: 'WedSyncSinkDropping', severity: 'warning', cluster: 'c2', sink: 'datadog', wedding_day: 'true' },
      { alertname: 'WedSyncSomethingToKnow', severity: 'info', cluster: 'c2', wedding_day: 'true' },
    ];
    const res = await fetch(`${base}/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts.map(alert)) });
    expect(res.status).toBe(200);

    const events = await waitFor('three PagerDuty events', async () => (pagerDuty!.events.length >= 3 ? pagerDuty!.events : undefined), 20_000);
    const byClass = (name: string) => events.filter((e) => e.payload?.class === name);
    expect(byClass('WedSyncAgentDown')).toEqual([
      expect.objectContaining({ routing_key: PAGE_KEY, event_action: 'trigger', payload: expect.objectContaining({ severity: 'critical', group: 'c1' }) }),
    ]);
    // Only c2's stale-load page: c1's is a symptom of its agent being down.
    expect(byClass('WedSyncMetricsStale')).toEqual([
      expect.objectContaining({ routing_key: PAGE_KEY, payload: expect.objectContaining({ severity: 'warning', group: 'c2', component: 'api' }) }),
    ]);
    // A ticket stays a ticket on a wedding day; info reaches nobody (the count of 3 below).
    expect(byClass('WedSyncSinkDropping')).toEqual([
      expect.objectContaining({ routing_key: TICKET_KEY, payload: expect.objectContaining({ severity: 'info', group: 'c2' }) }),
    ]);

    const statuses = (await (await fetch(`${base}/alerts`)).json()) as AlertStatus[];
    const stateOf = (name: string, cluster: string) => statuses.find((s) => s.labels.alertname === name && s.labels.cluster === cluster)?.status.state;
    expect(stateOf('WedSyncMetricsStale', 'c1')).toBe('suppressed');
    expect(stateOf('WedSyncMetricsStale', 'c2')).toBe('active');
    expect(stateOf('WedSyncAgentDown', 'c1')).toBe('active');
    expect(stateOf('WedSyncSomethingToKnow', 'c2')).toBe('active'); // received, routed to "null"
    expect(pagerDuty!.events).toHaveLength(3);
  }, 40_000);
});
