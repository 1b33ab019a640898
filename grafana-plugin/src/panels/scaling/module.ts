import { PanelPlugin } from '@grafana/data';
import { ScalingPanel } from '../../components/ScalingPanel';
import { DEFAULT_OPTIONS, type PanelOptions } from '../../types';

/**
 * Wires the panel and its options. The agent's URL and token are deliberately NOT options: the WedSync app
 * holds them (its configuration page) and the panel reaches the agent through the app's proxy routes.
 */
export const plugin = new PanelPlugin<PanelOptions>(ScalingPanel).setPanelOptions((builder) =>
  builder
    .addTextInput({
      path: 'targets',
      name: 'Targets',
      description: 'Comma-separated target ids to show (empty: all).',
      defaultValue: DEFAULT_OPTIONS.targets,
    })
    .addNumberInput({
      path: 'anomalyThreshold',
      name: 'Anomaly threshold',
      description: 'Mark observed load where the anomaly score is at least this (0–1).',
      defaultValue: DEFAULT_OPTIONS.anomalyThreshold,
      settings: { min: 0, max: 1, step: 0.05 },
    })
    .addNumberInput({
      path: 'timelineHours',
      name: 'Timeline hours',
      description: 'How far ahead the wedding timeline looks.',
      defaultValue: DEFAULT_OPTIONS.timelineHours,
      settings: { min: 1, max: 336, integer: true },
    })
    .addBooleanSwitch({
      path: 'readOnly',
      name: 'Read-only',
      description: 'Hide the override controls (wall displays).',
      defaultValue: DEFAULT_OPTIONS.readOnly,
    })
    .addBooleanSwitch({
      path: 'live',
      name: 'Live',
      description: "Follow the agent's tick stream (updates within a second); off: refresh with the dashboard.",
      defaultValue: DEFAULT_OPTIONS.live,
    }),
);
