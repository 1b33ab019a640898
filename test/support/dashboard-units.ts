/**
 * Which dashboard panels show load and which show money, read from their queries (not their titles), and
 * the unit each carries. Load and cost panels ship in `reqps` and `currencyUSD`; the Helm chart turns
 * those into agent.loadUnit and pricing.currency (charts/wedsync-agent/templates/dashboards.yaml).
 */
export const SHIPPED_LOAD_UNIT = 'reqps';
export const SHIPPED_COST_UNIT = 'currencyUSD';

const LOAD = /\bwedsync_agent_(observed|forecast|forecast_lower|forecast_upper|expected_wedding)_load\b/;
const COST = /\bwedsync_agent_cost_(per_hour|per_replica_hour)\b/;

interface UnitPanel {
  type: string;
  title: string;
  targets?: Array<{ expr?: string }>;
  panels?: UnitPanel[];
  fieldConfig?: { defaults?: { unit?: string }; overrides?: Array<{ properties?: Array<{ id: string; value?: unknown }> }> };
}

export interface PanelUnit {
  title: string;
  role: 'load' | 'cost' | 'other';
  unit: string | undefined;
  /** Units set by field overrides (they would escape the rewrite). */
  overrideUnits: unknown[];
}

const flat = (panels: UnitPanel[]): UnitPanel[] => panels.flatMap((p) => [p, ...flat(p.panels ?? [])]);

export function panelUnits(dashboard: { panels: UnitPanel[] }): PanelUnit[] {
  // The WedSync panel takes its load unit and currency from the agent itself.
  return flat(dashboard.panels)
    .filter((p) => p.type !== 'row' && p.type !== 'wedsync-scaling-panel')
    .map((p) => {
      const exprs = (p.targets ?? []).map((t) => t.expr ?? '').join('\n');
      const role = COST.test(exprs) ? 'cost' : LOAD.test(exprs) ? 'load' : 'other';
      const overrideUnits = (p.fieldConfig?.overrides ?? []).flatMap((o) => (o.properties ?? []).filter((x) => x.id === 'unit').map((x) => x.value));
      return { title: p.title, role, unit: p.fieldConfig?.defaults?.unit, overrideUnits };
    });
}
