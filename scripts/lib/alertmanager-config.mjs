// alert-rules/alertmanager.yml as the spec of a Prometheus Operator AlertmanagerConfig
// (monitoring.coreos.com/v1alpha1): the same tree, matchers, inhibitions and PagerDuty receivers. Routing
// keys come from a Secret (the file names of routing_key_file become its keys); the chart fills in the
// Secret's name. The Operator adds a `namespace` matcher to the top route (OnNamespace strategy), so the
// PrometheusRule labels every alert with the agent's namespace.
import { basename } from 'node:path';

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"(.*)"\s*$/;
export function matcher(text) {
  const m = MATCHER.exec(text);
  if (!m) throw new Error(`alertmanager.yml: unsupported matcher ${JSON.stringify(text)}`);
  return { name: m[1], matchType: m[2], value: m[3] };
}

const camel = { group_by: 'groupBy', group_wait: 'groupWait', group_interval: 'groupInterval', repeat_interval: 'repeatInterval' };
function route(r) {
  const out = {};
  if (r.receiver) out.receiver = r.receiver;
  for (const [k, v] of Object.entries(camel)) if (r[k] !== undefined) out[v] = r[k];
  if (r.matchers) out.matchers = r.matchers.map(matcher);
  if (r.continue) out.continue = true;
  if (r.routes) out.routes = r.routes.map(route);
  return out;
}

function pagerduty(pd) {
  const out = { routingKey: { key: basename(pd.routing_key_file) } };
  for (const k of ['severity', 'class', 'component', 'group', 'url']) if (pd[k] !== undefined) out[k] = pd[k];
  if (pd.send_resolved !== undefined) out.sendResolved = pd.send_resolved;
  if (pd.details) out.details = Object.entries(pd.details).map(([key, value]) => ({ key, value }));
  return out;
}

export function alertmanagerConfigSpec(config) {
  return {
    route: route(config.route),
    inhibitRules: (config.inhibit_rules ?? []).map((r) => ({
      sourceMatch: r.source_matchers.map(matcher),
      targetMatch: r.target_matchers.map(matcher),
      equal: r.equal,
    })),
    receivers: config.receivers.map((r) => (r.pagerduty_configs ? { name: r.name, pagerdutyConfigs: r.pagerduty_configs.map(pagerduty) } : { name: r.name })),
  };
}
