/** The next hours of weddings as bars on one time axis, so an operator sees what is coming at a glance. */
import React from 'react';
import { css } from '@emotion/css';
import { useStyles2 } from '@grafana/ui';
import type { GrafanaTheme2 } from '@grafana/data';
import type { CalendarWindowDto } from '../types';
import { testIds } from '../testIds';

interface Props {
  weddings: CalendarWindowDto[];
  nowMs: number;
  hours: number;
  /** Why the timeline may be empty or incomplete (e.g. the agent URL is not set). */
  note?: string;
  /** Rows drawn; the rest are counted ("+12 more") so the charts keep their room on busy weekends. */
  maxRows?: number;
}

export const DEFAULT_TIMELINE_ROWS = 8;

export function WeddingTimeline({ weddings, nowMs, hours, note, maxRows = DEFAULT_TIMELINE_ROWS }: Props) {
  const styles = useStyles2(getStyles);
  const endMs = nowMs + hours * 3600_000;
  const visible = weddings
    .map((w) => ({ ...w, s: Date.parse(w.start), e: Date.parse(w.end) }))
    .filter((w) => w.e > nowMs && w.s < endMs)
    .sort((a, b) => a.s - b.s);
  const shown = visible.slice(0, maxRows);
  const hidden = visible.length - shown.length;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => ({ f, label: f === 0 ? 'now' : `+${Math.round(f * hours)} h` }));
  const pct = (t: number) => `${(((Math.min(Math.max(t, nowMs), endMs) - nowMs) / (endMs - nowMs)) * 100).toFixed(2)}%`;
  return (
    <div className={styles.wrap} data-testid={testIds.timeline.container}>
      <div className={styles.title}>
        Weddings, next {hours} h <span className={styles.legend}>({visible.length}; red: Saturday protection)</span>
      </div>
      {visible.length === 0 ? (
        <div className={styles.empty} data-testid={testIds.timeline.empty}>
          {note ?? `No weddings in the next ${hours} h.`}
        </div>
      ) : (
        shown.map((w) => (
          <div key={`${w.weddingId}-${w.day}`} className={styles.row} data-testid={testIds.timeline.wedding(w.weddingId)}>
            <span className={styles.label} title={`${w.title} · ${w.guests} guests · ${w.tradition} · ${w.timezone}`}>
              {w.title}
            </span>
            <span className={styles.track}>
              <span
                className={w.saturdayProtection ? styles.barProtected : styles.bar}
                style={{ left: pct(w.s), width: `calc(${pct(w.e)} - ${pct(w.s)})` }}
                title={`${w.localDate} ${w.timezone}: ${w.start} → ${w.end}${w.saturdayProtection ? ' (Saturday protection)' : ''}`}
              />
            </span>
          </div>
        ))
      )}
      {visible.length > 0 && (
        <div className={styles.row}>
          <span className={styles.label}>{hidden > 0 ? `+${hidden} more` : ''}</span>
          <span className={styles.axis}>
            {ticks.map((t) => (
              <span key={t.f} className={styles.tick} style={{ left: `${t.f * 100}%` }}>
                {t.label}
              </span>
            ))}
          </span>
        </div>
      )}
      {visible.length > 0 && note && <div className={styles.empty}>{note}</div>}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ marginTop: theme.spacing(1) }),
  title: css({ fontWeight: theme.typography.fontWeightMedium, marginBottom: theme.spacing(0.5) }),
  row: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), height: 16 }),
  legend: css({ color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightRegular, fontSize: theme.typography.bodySmall.fontSize }),
  axis: css({ position: 'relative', flex: 1, height: 14, fontSize: 10, color: theme.colors.text.secondary }),
  tick: css({
    position: 'absolute',
    transform: 'translateX(-50%)',
    whiteSpace: 'nowrap',
    '&:first-child': { transform: 'none' },
    '&:last-child': { transform: 'translateX(-100%)' },
  }),
  label: css({ width: 160, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', fontSize: theme.typography.bodySmall.fontSize }),
  track: css({ position: 'relative', flex: 1, height: 8, background: theme.colors.background.secondary, borderRadius: 2 }),
  bar: css({ position: 'absolute', top: 0, bottom: 0, background: theme.colors.primary.main, borderRadius: 2 }),
  barProtected: css({ position: 'absolute', top: 0, bottom: 0, background: theme.colors.error.main, borderRadius: 2 }),
  empty: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
