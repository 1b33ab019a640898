/** Why the agent is holding capacity: Saturday freeze, peak season, overrides (with time left), stale data. */
import React from 'react';
import { Badge, Stack } from '@grafana/ui';
import type { OverrideDto, ProtectionKind } from '../types';
import { formatTimeLeft } from './overrideDraft';
import { testIds } from '../testIds';

interface Props {
  protections: ProtectionKind[];
  peakSeason: boolean;
  deployFreeze: boolean;
  overrides: OverrideDto[];
  nowMs: number;
}

const LABEL: Partial<Record<ProtectionKind, { text: string; color: 'red' | 'orange' | 'blue' | 'purple' | 'green' }>> = {
  saturday: { text: 'Saturday freeze', color: 'red' },
  peak_season: { text: 'Peak season', color: 'orange' },
  wedding_headroom: { text: 'Wedding headroom', color: 'purple' },
  post_wedding_rampdown: { text: 'Post-wedding ramp-down', color: 'blue' },
  stale_data: { text: 'Stale data: holding', color: 'orange' },
  peer_failover: { text: 'Peer cluster lost: failover floor', color: 'red' },
  fleet_data_missing: { text: 'Fleet data missing: holding', color: 'orange' },
};

export function ProtectionBadges({ protections, peakSeason, deployFreeze, overrides, nowMs }: Props) {
  const kinds = new Set(protections);
  if (peakSeason) {kinds.add('peak_season');}
  const badges: Array<{ key: string; text: string; color: 'red' | 'orange' | 'blue' | 'purple' | 'green'; tooltip?: string }> = [];
  for (const k of kinds) {
    const l = LABEL[k];
    if (l) {badges.push({ key: k, ...l });}
  }
  if (deployFreeze && !kinds.has('saturday')) {badges.push({ key: 'deploy_freeze', text: 'Deploy freeze', color: 'red' });}
  for (const o of overrides) {
    const left = formatTimeLeft(Date.parse(o.until), nowMs);
    const what = o.type === 'freeze' ? 'freeze' : `${o.type} ${o.replicas}`;
    badges.push({ key: `override_${o.id}`, text: `Override ${what} · ${left} left`, color: 'blue', tooltip: `${o.reason} (by ${o.author})` });
  }
  if (badges.length === 0) {return null;}
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
