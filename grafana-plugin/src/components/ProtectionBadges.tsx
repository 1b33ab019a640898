/**
 * Why the agent is holding capacity (Saturday freeze, peak season, overrides with time left, stale data),
 * and whether deploys may land: the deploy freeze with its end and weddings, and the last break glass.
 */
import React from 'react';
import { Badge, Stack } from '@grafana/ui';
import type { OverrideDto, ProtectionKind, TargetFreezeDto } from '../types';
import { formatTimeLeft } from './overrideDraft';
import { testIds } from '../testIds';

interface Props {
  protections: ProtectionKind[];
  peakSeason: boolean;
  deployFreeze: boolean;
  overrides: OverrideDto[];
  /** From GET /deploy-freeze; without it the status's deployFreeze flag alone is shown. */
  freeze?: TargetFreezeDto;
  nowMs: number;
}

/** Break glass stays on the card for a day: long enough for the next shift to see it. */
const BREAK_GLASS_SHOWN_MS = 24 * 3600_000;
const hhmm = (iso: string) => new Date(iso).toISOString().slice(11, 16);

const LABEL: Partial<Record<ProtectionKind, { text: string; color: 'red' | 'orange' | 'blue' | 'purple' | 'green' }>> = {
  saturday: { text: 'Saturday freeze', color: 'red' },
  peak_season: { text: 'Peak season', color: 'orange' },
  wedding_headroom: { text: 'Wedding headroom', color: 'purple' },
  post_wedding_rampdown: { text: 'Post-wedding ramp-down', color: 'blue' },
  stale_data: { text: 'Stale data: holding', color: 'orange' },
  peer_failover: { text: 'Peer cluster lost: failover floor', color: 'red' },
  fleet_data_missing: { text: 'Fleet data missing: holding', color: 'orange' },
};

export function ProtectionBadges({ protections, peakSeason, deployFreeze, overrides, freeze, nowMs }: Props) {
  const kinds = new Set(protections);
  if (peakSeason) {
    kinds.add('peak_season');
  }
  const badges: Array<{ key: string; text: string; color: 'red' | 'orange' | 'blue' | 'purple' | 'green'; tooltip?: string }> = [];
  for (const k of kinds) {
    const l = LABEL[k];
    if (l) {
      badges.push({ key: k, ...l });
    }
  }
  if (freeze?.frozen && freeze.until) {
    const weddings = freeze.weddings.map((w) => `${w.title} (${w.timezone}, ${w.phase})`).join('; ');
    badges.push({
      key: 'deploy_freeze',
      text: `Deploy freeze until ${hhmm(freeze.until)} UTC · ${formatTimeLeft(Date.parse(freeze.until), nowMs)} left`,
      color: 'red',
      tooltip: `Live: ${weddings}`,
    });
  } else if (deployFreeze && !kinds.has('saturday')) {
    badges.push({ key: 'deploy_freeze', text: 'Deploy freeze', color: 'red' });
  }
  const glass = freeze?.lastBreakGlass;
  if (glass && nowMs - Date.parse(glass.at) < BREAK_GLASS_SHOWN_MS) {
    const when = glass.duringFreeze ? ` during the freeze (${glass.weddings.join(', ')})` : '';
    badges.push({ key: 'break_glass', text: `Break glass ${hhmm(glass.at)} UTC: ${glass.reason}`, color: 'orange', tooltip: `by ${glass.by}${when}` });
  }
  for (const o of overrides) {
    const left = formatTimeLeft(Date.parse(o.until), nowMs);
    const what = o.type === 'freeze' ? 'freeze' : `${o.type} ${o.replicas}`;
    badges.push({ key: `override_${o.id}`, text: `Override ${what} · ${left} left`, color: 'blue', tooltip: `${o.reason} (by ${o.author})` });
  }
  if (badges.length === 0) {
    return null;
  }
  return (
    <div data-testid={testIds.target.badges}>
      <Stack gap={0.5} wrap="wrap">
        {badges.map((b) => (
          <span key={b.key} data-testid={testIds.target.badge(b.key)}>
            <Badge text={b.text} color={b.color} tooltip={b.tooltip} />
          </span>
        ))}
      </Stack>
    </div>
  );
}
