import { PanelPlugin } from '@grafana/data';
import { ScalingPanel } from './components/ScalingPanel';
import { DEFAULT_OPTIONS, type PanelOptions } from './types';

/** Wires the panel and its options. The operator's token is deliberately NOT an option (see TokenPrompt). */
export const plugin = new PanelPlugin<PanelOptions>(ScalingPanel).setPanelOptions((builder) =>
  builder
    .addTextInput({
      path: 'agentUrl',
      name: 'Agent URL',
      description: 'Base URL of the WedSync agent API, reachable from the browser (e.g. https://wedsync.example.com). Empty: metrics only.',
      defaultValue: DEFAULT_OPTIONS.agentUrl,
    })
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
    }),
);
