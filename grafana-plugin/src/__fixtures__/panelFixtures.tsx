/**
 * Small, hand-made fixtures for the panel tests: Prometheus-shaped frames for two targets, an agent
 * status with protections and an override, weddings, and a recording fake transport. No shared data.
 */
import React from 'react';
import { render } from '@testing-library/react';
import { FieldType, LoadingState, dateTime, getDefaultTimeRange, toDataFrame, type DataFrame, type PanelProps } from '@grafana/data';
import { ScalingPanel } from '../components/ScalingPanel';
import { AgentTransportContext, AppSettingsContext, EventSourceContext } from '../api/transportContext';
import type { AppSettings } from '../api/appSettings';
import type { EventSourceLike } from '../api/agentStream';
import type { FetchLike } from '../api/agentClient';
import { DEFAULT_OPTIONS, type CalendarWindowDto, type DeployFreezeDto, type ForecastDto, type PanelOptions, type StatusDto } from '../types';

export const NOW = Date.parse('2027-06-05T14:00:00Z'); // a Saturday in June: wedding day, peak season
const MIN = 60_000;

/** One Prometheus range-query result as Grafana's Prometheus data source shapes it. */
export function promFrame(metric: string, target: string, values: number[], opts: { refId?: string; stepMs?: number; keepName?: boolean } = {}): DataFrame {
  const step = opts.stepMs ?? 5 * MIN;
  const start = NOW - (values.length - 1) * step;
  const labels: Record<string, string> = { target, job: 'wedsync-agent' };
  if (opts.keepName !== false) {
    labels.__name__ = metric;
  }
  return toDataFrame({
    refId: opts.refId ?? 'A',
    fields: [
      { name: 'Time', type: FieldType.time, values: values.map((_, i) => start + i * step) },
      { name: 'Value', type: FieldType.number, values, labels },
    ],
  });
}

export function demoFrames(): DataFrame[] {
  const observed = [100, 120, 130, 150, 400, 160, 170];
  return [
    promFrame('wedsync_agent_observed_load', 'api', observed),
    promFrame('wedsync_agent_forecast_load', 'api', [110, 115, 135, 145, 150, 165, 175]),
    promFrame('wedsync_agent_forecast_lower_load', 'api', [90, 95, 115, 125, 130, 145, 155]),
    promFrame('wedsync_agent_forecast_upper_load', 'api', [130, 135, 155, 165, 170, 185, 195]),
    promFrame('wedsync_agent_anomaly_score', 'api', [0.1, 0.1, 0.2, 0.1, 0.97, 0.3, 0.1]),
    promFrame('wedsync_agent_replicas_current', 'api', [3, 3, 3, 4, 4, 5, 5]),
    promFrame('wedsync_agent_replicas_desired', 'api', [3, 3, 4, 4, 5, 5, 6]),
    promFrame('wedsync_agent_observed_load', 'photos', [20, 22, 21, 25, 24, 23, 26]),
    promFrame('wedsync_agent_replicas_current', 'photos', [2, 2, 2, 2, 2, 2, 2]),
  ];
}

export function demoStatus(overrides: StatusDto['targets'][number]['overrides'] = []): StatusDto {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    agent: {
      version: '0.1.0',
      cluster: 'test',
      mode: 'dry-run',
      leader: true,
      startedAt: iso(NOW - 3600_000),
      lastTick: iso(NOW),
      lastTickDurationMs: 12,
      ticks: 60,
      now: iso(NOW),
    },
    targets: [
      {
        id: 'api',
        kubernetes: { kind: 'Deployment', namespace: 'prod', name: 'api' },
        weddingCritical: true,
        replicas: { current: 5, ready: 5, desired: 7, min: 2, max: 20 },
        load: { observed: 170, observedAt: iso(NOW), stale: false, error: null, forecastAtLead: 175, expectedWedding: 60 },
        capacityPerPod: 50,
        targetUtilization: 0.7,
        liveWeddings: 2,
        peakSeason: true,
        protections: ['saturday', 'wedding_headroom'],
        deployFreeze: true,
        overrides,
        anomaly: { score: 0.2, kind: 'none' },
        lastDecision: null,
      },
      {
        id: 'photos',
        kubernetes: { kind: 'Deployment', namespace: 'prod', name: 'photos' },
        weddingCritical: false,
        replicas: { current: 2, ready: 2, desired: 2, min: 1, max: 6 },
        load: { observed: 26, observedAt: iso(NOW), stale: false, error: null, forecastAtLead: 27, expectedWedding: 0 },
        capacityPerPod: 40,
        targetUtilization: 0.7,
        liveWeddings: 0,
        peakSeason: true,
        protections: [],
        deployFreeze: false,
        overrides: [],
        anomaly: { score: 0, kind: 'none' },
        lastDecision: null,
      },
    ],
    sinks: [],
    calendar: [{ location: 'fixture', ok: true, weddings: 2, lastSuccess: iso(NOW), lastError: null }],
  };
}

export const demoWeddings: CalendarWindowDto[] = [
  {
    weddingId: 'w-garden',
    title: 'Garden wedding',
    timezone: 'Europe/London',
    day: 0,
    localDate: '2027-06-05',
    start: '2027-06-05T13:00:00Z',
    end: '2027-06-05T22:00:00Z',
    saturdayProtection: true,
    guests: 120,
    tradition: 'civil',
  },
  {
    weddingId: 'w-beach',
    title: 'Beach wedding',
    timezone: 'America/New_York',
    day: 0,
    localDate: '2027-06-06',
    start: '2027-06-06T18:00:00Z',
    end: '2027-06-07T02:00:00Z',
    saturdayProtection: false,
    guests: 80,
    tradition: 'church',
  },
];

/** GET /deploy-freeze: api frozen until 20:00 UTC by the garden wedding, broken once at 13:20; photos free. */
export function demoFreeze(): DeployFreezeDto {
  const until = '2027-06-05T20:00:00.000Z';
  const now = new Date(NOW).toISOString();
  return {
    at: now,
    frozen: true,
    since: '2027-06-05T10:00:00.000Z',
    until,
    reasons: ['api: 1 wedding(s) live on a protected day until 2027-06-05T20:00:00.000Z: Garden wedding (w-garden, 2027-06-05 Europe/London, reception)'],
    targets: [
      {
        id: 'api',
        kubernetes: { kind: 'Deployment', namespace: 'weddings', name: 'api' },
        evaluatedAt: now,
        frozen: true,
        since: '2027-06-05T10:00:00.000Z',
        until,
        weddings: [
          {
            id: 'w-garden',
            title: 'Garden wedding',
            timezone: 'Europe/London',
            localDate: '2027-06-05',
            phase: 'reception',
            start: '2027-06-05T10:00:00.000Z',
            end: until,
          },
        ],
        lastBreakGlass: { at: '2027-06-05T13:20:00.000Z', by: 'kubectl-edit', reason: 'INC-4711 payment outage', duringFreeze: true, weddings: ['w-garden'] },
      },
      {
        id: 'photos',
        kubernetes: { kind: 'Deployment', namespace: 'weddings', name: 'photos' },
        evaluatedAt: now,
        frozen: false,
        since: null,
        until: null,
        weddings: [],
        lastBreakGlass: null,
      },
    ],
  };
}

export function demoForecast(target: string): ForecastDto {
  return {
    target,
    method: 'seasonal',
    coldStart: false,
    points: [1, 2, 3].map((h) => ({ t: new Date(NOW + h * 3600_000).toISOString(), value: 180 + h, lower: 160, upper: 210 })),
  };
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

type Route = (req: RecordedRequest) => { status: number; body?: unknown } | undefined;

/** A stand-in for the agent: answers from `routes` (first match wins) and records every request. */
export function fakeAgent(routes: Route[] = []) {
  const requests: RecordedRequest[] = [];
  const defaults: Route = (req) => {
    const path = new URL(req.url, 'http://grafana').pathname;
    if (path.endsWith('/status')) {
      return { status: 200, body: demoStatus() };
    }
    if (path.endsWith('/calendar')) {
      return { status: 200, body: demoWeddings };
    }
    if (path.endsWith('/deploy-freeze')) {
      return { status: 200, body: demoFreeze() };
    }
    const m = /\/targets\/([^/]+)\/forecast$/.exec(path);
    if (m) {
      return { status: 200, body: demoForecast(decodeURIComponent(m[1])) };
    }
    return { status: 404, body: { error: 'not found' } };
  };
  const fetch: FetchLike = async (url, init) => {
    const req: RecordedRequest = { method: init.method, url, headers: init.headers, body: init.body ? JSON.parse(init.body) : undefined };
    requests.push(req);
    const answer = [...routes, defaults].map((r) => r(req)).find(Boolean)!;
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    return { status: answer.status, ok: answer.status >= 200 && answer.status < 300, text: async () => text };
  };
  return { fetch, requests };
}

export function panelProps(options: Partial<PanelOptions>, series: DataFrame[]): PanelProps<PanelOptions> {
  const timeRange = getDefaultTimeRange();
  timeRange.to = dateTime(NOW);
  return {
    id: 1,
    data: { state: LoadingState.Done, series, timeRange },
    timeRange,
    timeZone: 'utc',
    options: { ...DEFAULT_OPTIONS, ...options },
    fieldConfig: { defaults: {}, overrides: [] },
    transparent: false,
    width: 800,
    height: 600,
    renderCounter: 0,
    title: 'WedSync',
    eventBus: {
      publish() {},
      getStream: () => ({ subscribe: () => ({ unsubscribe() {} }) }),
      subscribe: () => ({ unsubscribe() {} }),
      removeAllListeners() {},
      newScopedBus() {
        return this;
      },
    } as never,
    onOptionsChange: jest.fn(),
    onFieldConfigChange: jest.fn(),
    replaceVariables: (s: string) => s,
    onChangeTimeRange: jest.fn(),
  };
}

export const CONNECTED: AppSettings = { enabled: true, jsonData: { agentUrl: 'http://wedsync-agent:8080' }, secureJsonFields: { agentToken: true } };
export const NOT_CONFIGURED: AppSettings = { enabled: true, jsonData: {}, secureJsonFields: {} };

/** An EventSource that records what the panel opened; tests push events into it. */
export class FakeEventSource implements EventSourceLike {
  static opened: FakeEventSource[] = [];
  onopen: ((e: Event) => void) | null = null;
  onerror: ((e: Event) => void) | null = null;
  closed = false;
  private listeners = new Map<string, Array<(e: MessageEvent<string>) => void>>();
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }
  addEventListener(type: string, l: (e: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), l]);
  }
  emit(type: string, data: unknown, id?: number): void {
    for (const l of this.listeners.get(type) ?? []) {
      l({ data: JSON.stringify(data), lastEventId: id === undefined ? '' : String(id) } as MessageEvent<string>);
    }
  }
  close(): void {
    this.closed = true;
  }
}
const newFakeEventSource = (url: string) => new FakeEventSource(url);

/** Renders the panel as inside Grafana: the app's settings (connected unless said), the transport, the stream. */
export function renderPanel(props: PanelProps<PanelOptions>, fetch?: FetchLike, settings: AppSettings | null = fetch ? CONNECTED : NOT_CONFIGURED) {
  const loadSettings = async () => settings;
  const transport: FetchLike = fetch ?? (async () => Promise.reject(new Error('no agent in this test')));
  return render(
    <AppSettingsContext.Provider value={loadSettings}>
      <EventSourceContext.Provider value={newFakeEventSource}>
        <AgentTransportContext.Provider value={transport}>
          <ScalingPanel {...props} />
        </AgentTransportContext.Provider>
      </EventSourceContext.Provider>
    </AppSettingsContext.Provider>,
  );
}
