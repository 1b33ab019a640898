/**
 * An AlertmanagerConfig spec (monitoring.coreos.com/v1alpha1) read back as an alertmanager.yml, so that
 * amtool can test its routing tree. Written apart from scripts/lib/alertmanager-config.mjs (which makes the
 * spec), so that a mistake in one is not repeated in the other.
 */
interface Matcher {
  name: string;
  value: string;
  matchType?: string;
}
interface AmcRoute {
  receiver?: string;
  groupBy?: string[];
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  matchers?: Matcher[];
  continue?: boolean;
  routes?: AmcRoute[];
}
interface AmcSpec {
  route: AmcRoute;
  inhibitRules?: { sourceMatch: Matcher[]; targetMatch: Matcher[]; equal?: string[] }[];
  receivers: {
    name: string;
    pagerdutyConfigs?: { routingKey: { name: string; key: string }; severity?: string; sendResolved?: boolean; details?: { key: string; value: string }[] }[];
  }[];
}

const matcherText = (m: Matcher) => `${m.name}${m.matchType ?? '='}"${m.value}"`;

function route(r: AmcRoute): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (r.receiver) out.receiver = r.receiver;
  if (r.matchers) out.matchers = r.matchers.map(matcherText);
  if (r.groupBy) out.group_by = r.groupBy;
  if (r.groupWait) out.group_wait = r.groupWait;
  if (r.groupInterval) out.group_interval = r.groupInterval;
  if (r.repeatInterval) out.repeat_interval = r.repeatInterval;
  if (r.continue) out.continue = true;
  if (r.routes) out.routes = r.routes.map(route);
  return out;
}

export function alertmanagerYamlFrom(spec: AmcSpec): Record<string, unknown> {
  return {
    route: route(spec.route),
    inhibit_rules: (spec.inhibitRules ?? []).map((r) => ({
      source_matchers: r.sourceMatch.map(matcherText),
      target_matchers: r.targetMatch.map(matcherText),
      equal: r.equal,
    })),
    receivers: spec.receivers.map((r) => ({
      name: r.name,
      ...(r.pagerdutyConfigs
        ? {
            pagerduty_configs: r.pagerdutyConfigs.map((p) => ({
              routing_key_file: `/etc/alertmanager/secrets/${p.routingKey.name}/${p.routingKey.key}`,
              ...(p.severity ? { severity: p.severity } : {}),
              ...(p.sendResolved !== undefined ? { send_resolved: p.sendResolved } : {}),
              ...(p.details ? { details: Object.fromEntries(p.details.map((d) => [d.key, d.value])) } : {}),
            })),
          }
        : {}),
    })),
  };
}
