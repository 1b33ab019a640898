/**
 * Test copies of the shipped configs. alertmanager.yml is changed only where a test must: PagerDuty URL
 * (a local stand-in), routing key files (temp files), and group timings (a second, not minutes).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ALERT_RULES_DIR, ruleFiles } from './alerting-metrics';

export const PAGE_KEY = 'test-page-routing-key';
export const TICKET_KEY = 'test-ticket-routing-key';

interface Route {
  group_wait?: string;
  group_interval?: string;
  routes?: Route[];
}

export function alertmanagerConfigForTest(dir: string, pagerDutyUrl: string): string {
  const config = parse(readFileSync(join(ALERT_RULES_DIR, 'alertmanager.yml'), 'utf8')) as {
    route: Route;
    receivers: { name: string; pagerduty_configs?: Record<string, unknown>[] }[];
  };
  const pageKeyFile = join(dir, 'page.key');
  const ticketKeyFile = join(dir, 'ticket.key');
  writeFileSync(pageKeyFile, PAGE_KEY + '\n');
  writeFileSync(ticketKeyFile, TICKET_KEY + '\n');
  for (const receiver of config.receivers)
    for (const pd of receiver.pagerduty_configs ?? []) {
      pd.url = pagerDutyUrl;
      pd.routing_key_file = String(pd.routing_key_file).includes('tickets') ? ticketKeyFile : pageKeyFile;
    }
  const shorten = (route: Route) => {
    route.group_wait = '1s';
    route.group_interval = '1s';
    route.routes?.forEach(shorten);
  };
  shorten(config.route);
  const file = join(dir, 'alertmanager.yml');
  writeFileSync(file, stringify(config));
  return file;
}

/** Scrapes the agent every second as job "wedsync-agent" in cluster "demo", with the shipped rule files (or `rules`). */
export function prometheusConfigForTest(dir: string, agentPort: number, alertmanagerPort: number, rules: string[] = ruleFiles()): string {
  const config = {
    global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    rule_files: rules,
    alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${alertmanagerPort}`] }] }] },
    scrape_configs: [{ job_name: 'wedsync-agent', static_configs: [{ targets: [`127.0.0.1:${agentPort}`], labels: { cluster: 'demo' } }] }],
  };
  const file = join(dir, 'prometheus.yml');
  writeFileSync(file, stringify(config));
  return file;
}

/** `prometheus-alertmanager` arguments for a throw-away instance on loopback, clustering off. */
export function alertmanagerArgs(configFile: string, dataDir: string, port: number): string[] {
  return [`--config.file=${configFile}`, `--storage.path=${dataDir}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='];
}
