/**
 * End to end with real servers: the demo agent, a real Prometheus (Debian `prometheus`) scraping it with
 * the shipped rule files, a real Alertmanager (Debian `prometheus-alertmanager`) with the shipped
 * alertmanager.yml — rewritten only to point PagerDuty at a local stand-in, read the routing keys from
 * temp files and group within a second. Killing the agent must page (WedSyncAgentDown, wedding-day
 * urgency), restarting it must resolve the same incident (same dedup key). The demo's Saturday holds a
 * deploy freeze, so killing the agent must also page that the freeze fails open (WedSyncFreezeUnenforced,
 * not inhibited by WedSyncAgentDown), and the restart must resolve that too.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTool } from './support/alerting-tools';
import { REPO_ROOT } from './support/alerting-metrics';
import { PAGE_KEY, alertmanagerArgs, alertmanagerConfigForTest, prometheusConfigForTest } from './support/alerting-config';
import { startPagerDutyStandIn, type PagerDutyStandIn } from './support/alerting-pagerduty-standin';
import { freePort, startProcess, waitFor, type RunningProcess } from './support/alerting-processes';

const AGENT_CLI = join(REPO_ROOT, 'agent', 'bin', 'wedsync-agent.js');
const AGENT_BUILT = join(REPO_ROOT, 'agent', 'dist', 'cli', 'main.js');
// Saturday midday in the demo calendar: weddings are live, so the page must be a wedding-day page.
const DEMO_START = '2027-06-05T12:00:00Z';

async function promQuery(port: number, query: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  if (body.status !== 'success') throw new Error(`query ${query}: ${JSON.stringify(body)}`);
  return body.data.result;
}

describe('alerting end to end: demo agent → real Prometheus → real Alertmanager → PagerDuty stand-in', () => {
  const processes: RunningProcess[] = [];
  let dir = '';
  let pagerDuty: PagerDutyStandIn | undefined;

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await pagerDuty?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('killing the agent pages PagerDuty (wedding-day urgency), and that the deploy freeze is unenforced; restarting it resolves both', async () => {
    const prometheusBin = requireTool('prometheus');
    const alertmanagerBin = requireTool('prometheus-alertmanager');
    if (!existsSync(AGENT_BUILT)) throw new Error('the agent is not built: run `npm run build` first (root `npm test` does)');

    dir = mkdtempSync(join(tmpdir(), 'wedsync-e2e-alerting-'));
    pagerDuty = await startPagerDutyStandIn();
    const [agentPort, prometheusPort, alertmanagerPort] = [await freePort(), await freePort(), await freePort()];
    const diagnostics = () => processes.map((p) => p.output()).join('\n');

    const startAgent = () => {
      const agent = startProcess('agent', process.execPath, [AGENT_CLI, 'demo', '--port', String(agentPort), '--start', DEMO_START], REPO_ROOT);
      processes.push(agent);
      return agent;
    };
    let agent = startAgent();
    processes.push(
      startProcess(
        'alertmanager',
        alertmanagerBin,
        alertmanagerArgs(alertmanagerConfigForTest(dir, pagerDuty.url), join(dir, 'alertmanager-data'), alertmanagerPort),
      ),
    );
    processes.push(
      startProcess('prometheus', prometheusBin, [
        `--config.file=${prometheusConfigForTest(dir, agentPort, alertmanagerPort)}`,
        `--storage.tsdb.path=${join(dir, 'prometheus-data')}`,
        `--web.listen-address=127.0.0.1:${prometheusPort}`,
      ]),
    );

    try {
      // The agent is scraped and the recording rules already say it is a wedding day in cluster "demo".
      const info = await waitFor(
        'Prometheus to scrape the agent and record the wedding day',
        async () => {
          const r = await promQuery(
            prometheusPort,
            'wedsync_cluster:wedding_day:info * on (cluster) group_left max by (cluster) (up{job="wedsync-agent"} == 1)',
          );
          return r.length ? r : undefined;
        },
        30_000,
      );
      expect(info.map((s) => s.metric)).toEqual([{ cluster: 'demo', wedding_day: 'true' }]);
      expect(pagerDuty.events).toEqual([]);

      await agent.stop('SIGKILL');

      const trigger = await waitFor(
        'the WedSyncAgentDown page at the PagerDuty stand-in',
        async () => pagerDuty!.events.find((e) => e.event_action === 'trigger' && e.payload?.class === 'WedSyncAgentDown'),
        80_000,
        500,
      );
      expect(trigger).toMatchObject({
        routing_key: PAGE_KEY,
        event_action: 'trigger',
        payload: { severity: 'critical', class: 'WedSyncAgentDown', group: 'demo', custom_details: expect.objectContaining({ wedding_day: 'true' }) },
      });
      expect(trigger.payload?.summary).toMatch(/WedSyncAgentDown/);
      expect(trigger.payload?.custom_details?.runbook_url).toMatch(/RUNBOOK\.md#wedsyncagentdown$/);
      // Alertmanager's dedup key is the SHA-256 of the alert group's key: route path + grouping labels.
      const groupKey = '{}/{severity="critical",wedding_day="true"}:{alertname="WedSyncAgentDown", cluster="demo"}';
      expect(trigger.dedup_key).toBe(createHash('sha256').update(groupKey).digest('hex'));

      // The freeze fails open while the agent is down (its last freeze end is ahead of Prometheus' clock): that pages too.
      const unenforced = await waitFor(
        'the WedSyncFreezeUnenforced page (fail open) at the PagerDuty stand-in',
        async () => pagerDuty!.events.find((e) => e.event_action === 'trigger' && e.payload?.class === 'WedSyncFreezeUnenforced'),
        60_000,
        500,
      );
      expect(unenforced).toMatchObject({
        routing_key: PAGE_KEY,
        payload: { severity: 'critical', group: 'demo', custom_details: expect.objectContaining({ wedding_day: 'true' }) },
      });
      expect(unenforced.payload?.custom_details?.runbook_url).toMatch(/RUNBOOK\.md#wedsyncfreezeunenforced$/);

      agent = startAgent();
      const resolve = await waitFor(
        'the resolve of the page after the agent restarted',
        async () => pagerDuty!.events.find((e) => e.event_action === 'resolve' && e.dedup_key === trigger.dedup_key),
        30_000,
        500,
      );
      expect(resolve).toMatchObject({ routing_key: PAGE_KEY, event_action: 'resolve', dedup_key: trigger.dedup_key });
      await waitFor(
        'the resolve of the fail-open page once the agent keeps the freeze again',
        async () => pagerDuty!.events.find((e) => e.event_action === 'resolve' && e.dedup_key === unenforced.dedup_key),
        30_000,
        500,
      );
      // Nothing else paged: agent down (and the freeze it left unenforced) was the only thing wrong.
      expect(pagerDuty.events.filter((e) => e.dedup_key !== trigger.dedup_key && e.dedup_key !== unenforced.dedup_key)).toEqual([]);
    } catch (err) {
      (err as Error).message += `\n${diagnostics()}\nPagerDuty stand-in got: ${JSON.stringify(pagerDuty.events, null, 1)}`;
      throw err;
    }
  }, 150_000);
});
