import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { testIds } from '../testIds';
import { FakeEventSource, NOW, demoFrames, demoStatus, fakeAgent, panelProps, renderPanel } from '../__fixtures__/panelFixtures';
import type { CapacityPlanDto } from '../types';

const AGENT = '/api/plugin-proxy/wedsync-scaling-app';

beforeEach(() => {
  FakeEventSource.opened = [];
});

describe('ScalingPanel with data', () => {
  it('shows each target with replicas, chart, anomaly marker, protections and the weddings ahead', async () => {
    const override = {
      id: 'ov-1',
      target: 'api',
      type: 'floor' as const,
      replicas: 8,
      until: new Date(NOW + 2 * 3600_000 + 5 * 60_000).toISOString(),
      untilWeddingEnds: false,
      reason: 'CEO wedding',
      author: 'operator',
      createdAt: new Date(NOW).toISOString(),
    };
    const agent = fakeAgent([(req) => (req.url.endsWith('/status') ? { status: 200, body: demoStatus([override]) } : undefined)]);
    renderPanel(panelProps({}, demoFrames()), agent.fetch);

    const api = await screen.findByTestId(testIds.target.card('api'));
    // The API's replicas win over the (older) Prometheus samples.
    await waitFor(() => expect(within(api).getByTestId(testIds.target.replicasDesired)).toHaveTextContent('7'));
    expect(within(api).getByTestId(testIds.target.replicasCurrent)).toHaveTextContent('5');
    // Grafana's TimeSeries: in jsdom only its legend renders (RECIPES.md), one entry per series drawn.
    const legend = within(api).getByTestId(testIds.target.chart);
    for (const name of ['Forecast upper', 'Forecast lower', 'Forecast', 'Observed load', 'Anomaly', 'Replicas now', 'Replicas wanted']) {
      expect(legend).toHaveTextContent(name);
    }

    expect(within(api).getByTestId(testIds.target.badge('saturday'))).toHaveTextContent('Saturday freeze');
    expect(within(api).getByTestId(testIds.target.badge('peak_season'))).toHaveTextContent('Peak season');
    expect(within(api).getByTestId(testIds.target.badge('override_ov-1'))).toHaveTextContent('Override floor 8 · 2h 05m left');

    const photos = screen.getByTestId(testIds.target.card('photos'));
    expect(within(photos).queryByTestId(testIds.target.badge('saturday'))).toBeNull();
    expect(within(photos).getByTestId(testIds.target.chart)).not.toHaveTextContent('Anomaly'); // no score ≥ 0.8 there

    const timeline = screen.getByTestId(testIds.timeline.container);
    expect(within(timeline).getByTestId(testIds.timeline.wedding('w-garden'))).toHaveTextContent('Garden wedding');
    expect(within(timeline).getByTestId(testIds.timeline.wedding('w-beach'))).toBeInTheDocument();
    const calendarCall = agent.requests.find((r) => r.url.includes('/calendar'))!;
    const q = new URL(calendarCall.url, 'http://grafana').searchParams;
    expect(Date.parse(q.get('to')!) - Date.parse(q.get('from')!)).toBe(48 * 3600_000);
    expect(q.get('from')).toBe(new Date(NOW).toISOString()); // the agent's clock, not the browser's
  });

  it('draws the last scale decision on the chart (a "Scale decision" series); a hold draws none', async () => {
    const status = demoStatus();
    status.targets[0].lastDecision = {
      target: 'api',
      at: new Date(NOW - 60_000).toISOString(),
      currentReplicas: 5,
      desiredReplicas: 7,
      reasons: [{ rule: 'saturday-protection', replicas: 7, detail: '1 wedding(s) live' }],
      protections: ['saturday'],
      deployFreeze: true,
      holding: false,
    };
    status.targets[1].lastDecision = {
      target: 'photos',
      at: new Date(NOW - 60_000).toISOString(),
      currentReplicas: 3,
      desiredReplicas: 3,
      reasons: [{ rule: 'reactive', replicas: 3, detail: 'x' }],
      protections: [],
      deployFreeze: false,
      holding: false,
    };
    const agent = fakeAgent([(req) => (req.url.endsWith('/status') ? { status: 200, body: status } : undefined)]);
    renderPanel(panelProps({}, demoFrames()), agent.fetch);
    const api = await screen.findByTestId(testIds.target.card('api'));
    await waitFor(() => expect(within(api).getByTestId(testIds.target.chart)).toHaveTextContent('Scale decision'));
    expect(within(screen.getByTestId(testIds.target.card('photos'))).getByTestId(testIds.target.chart)).not.toHaveTextContent('Scale decision');
  });

  it("shows each target's cost now and the coming weekend's plan (pods, nodes, cost); an unknown price says so, never 0", async () => {
    const status = demoStatus();
    status.targets[0].cost = {
      currency: 'EUR',
      perReplicaHour: 0.0272,
      perHour: 0.136,
      source: 'table',
      detail: 'eks/eu-west-1 on-demand: 0.5 vCPU × 0.0446 EUR + 1 GiB × 0.0049 EUR',
    };
    status.targets[1].cost = { currency: 'EUR', perReplicaHour: null, perHour: null, source: 'unknown', detail: 'pod requests unknown' };
    const plan: CapacityPlanDto = {
      cluster: 'test',
      from: '2027-06-05T14:00:00.000Z',
      to: '2027-06-07T00:00:00.000Z',
      stepSeconds: 300,
      targets: [
        {
          target: 'api',
          method: 'seasonal+calendar',
          peak: { load: 590, at: '2027-06-05T16:00:00.000Z' },
          pods: { peak: 21, neededAt: '2027-06-05T16:00:00.000Z', requestBy: '2027-06-05T15:57:00.000Z', cappedAtMax: true, wantedAtPeak: 25, steps: [] },
          nodes: { pool: 'general', podsPerNode: 7, peak: 3, allocatable: { cpu: 3.92, memoryGiB: 14.5 } },
          cost: { currency: 'EUR', perReplicaHour: 0.0272, peakPerHour: 0.5712, replicaHours: 484, window: 13.16, source: 'table', detail: 'x' },
          missingPoints: 0,
        },
      ],
      pools: [{ pool: 'general', peakNodes: 3, at: '2027-06-05T16:00:00.000Z', targets: ['api'] }],
      cost: { currency: 'EUR', window: null, peakPerHour: null, unknownTargets: ['photos'] },
    };
    const agent = fakeAgent([
      (req) => (req.url.endsWith('/status') ? { status: 200, body: status } : undefined),
      (req) => (req.url.endsWith('/capacity-plan') ? { status: 200, body: plan } : undefined),
    ]);
    renderPanel(panelProps({}, demoFrames()), agent.fetch);
    const api = await screen.findByTestId(testIds.target.card('api'));
    await waitFor(() => expect(within(api).getByTestId(testIds.target.cost)).toHaveTextContent('cost 0.1360 EUR/h · 0.0272 EUR per replica-hour (table)'));
    expect(within(api).getByTestId(testIds.target.weekendPlan)).toHaveTextContent(
      'coming weekend: 21 pods from Sat 16:00Z (demand wants 25: capped at max), ask by Sat 15:57Z · 3 nodes in general · 13.16 EUR for 484 replica-hours',
    );
    const photos = screen.getByTestId(testIds.target.card('photos'));
    expect(within(photos).getByTestId(testIds.target.cost)).toHaveTextContent('cost unknown: pod requests unknown');
    expect(within(photos).queryByTestId(testIds.target.weekendPlan)).toBeNull();
    expect(screen.getByTestId(testIds.capacity.summary)).toHaveTextContent(
      'Coming weekend Sat 14:00Z – Mon 00:00Z: unknown, busiest hour unknown/h · node pools: general 3 nodes at Sat 16:00Z',
    );
    expect(agent.requests.some((r) => r.url === `${AGENT}/api/v1/capacity-plan`)).toBe(true);
  });

  it('an agent without the capacity plan (404) shows no plan and no warning', async () => {
    const agent = fakeAgent();
    renderPanel(panelProps({}, demoFrames()), agent.fetch);
    await screen.findByTestId(testIds.panel.agentInfo);
    expect(screen.queryByTestId(testIds.capacity.summary)).toBeNull();
    expect(screen.getByTestId(testIds.panel.container)).not.toHaveTextContent('capacity plan:');
  });

  it('says why scaling a target failed, as the agent worded it', async () => {
    const status = demoStatus();
    status.targets[0].scaleError = 'forbidden: the agent may not patch deployments/scale (RBAC)';
    const agent = fakeAgent([(req) => (req.url.endsWith('/status') ? { status: 200, body: status } : undefined)]);
    renderPanel(panelProps({}, demoFrames()), agent.fetch);
    const api = await screen.findByTestId(testIds.target.card('api'));
    await waitFor(() => expect(api).toHaveTextContent('scaling: forbidden: the agent may not patch deployments/scale (RBAC)'));
    expect(screen.getByTestId(testIds.target.card('photos'))).not.toHaveTextContent('scaling:');
  });

  it('renders from Prometheus alone before the app is connected, with a "connect the agent" note and no timeline', async () => {
    renderPanel(panelProps({}, demoFrames()));
    const api = await screen.findByTestId(testIds.target.card('api'));
    expect(within(api).getByTestId(testIds.target.replicasCurrent)).toHaveTextContent('5');
    expect(within(api).getByTestId(testIds.target.replicasDesired)).toHaveTextContent('6');
    expect(screen.getByTestId(testIds.connect.state)).toHaveTextContent('Connect the WedSync agent');
    expect(screen.queryByTestId(testIds.timeline.container)).toBeNull();
    expect(screen.queryByTestId(testIds.timeline.empty)).toBeNull();
    expect(screen.queryByTestId(testIds.override.openForm)).toBeNull();
  });

  it('shows the target filter only', async () => {
    renderPanel(panelProps({ targets: 'photos' }, demoFrames()));
    expect(await screen.findByTestId(testIds.target.card('photos'))).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.target.card('api'))).toBeNull();
  });
});

describe('ScalingPanel empty and error states', () => {
  it('first look, before the app is configured: says to connect the agent (and what is missing), not "no weddings"', async () => {
    renderPanel(panelProps({}, []));
    const connect = await screen.findByTestId(testIds.connect.state);
    expect(connect).toHaveTextContent('Connect the WedSync agent');
    expect(connect).toHaveTextContent('no agent URL is set, no agent token is set');
    expect(screen.getByRole('link', { name: /configuration/ })).toHaveAttribute('href', 'plugins/wedsync-scaling-app');
    expect(screen.getByTestId(testIds.panel.container)).not.toHaveTextContent('No weddings');
  });

  it('explains what is missing when the agent is connected but there is no data', async () => {
    const agent = fakeAgent([(req) => (req.url.endsWith('/status') ? { status: 200, body: { ...demoStatus(), targets: [] } } : undefined)]);
    renderPanel(panelProps({}, []), agent.fetch);
    const empty = await screen.findByTestId(testIds.panel.emptyState);
    expect(empty).toHaveTextContent('No Prometheus data for: observed, forecast');
    expect(empty).toHaveTextContent('wedsync_agent_observed_load');
  });

  it('says when a query failed rather than reporting no data', async () => {
    const agent = fakeAgent([(req) => (req.url.endsWith('/status') ? { status: 200, body: { ...demoStatus(), targets: [] } } : undefined)]);
    const props = panelProps({}, []);
    props.data.errors = [{ refId: 'observed', message: 'Post "http://prometheus:9090/api/v1/query_range": dial tcp: connection refused' }];
    renderPanel(props, agent.fetch);
    expect(await screen.findByTestId(testIds.panel.emptyState)).toHaveTextContent(
      'Query failed: observed: Post "http://prometheus:9090/api/v1/query_range": dial tcp: connection refused',
    );

    const withData = panelProps({}, demoFrames());
    withData.data.errors = [{ refId: 'anomaly', message: 'bad_data: parse error' }];
    renderPanel(withData);
    expect(await screen.findByTestId(testIds.panel.queryError)).toHaveTextContent('anomaly: bad_data: parse error');
  });

  it('shows the agent error as the agent worded it and still draws Prometheus data', async () => {
    const agent = fakeAgent([
      (req) => (req.url.endsWith('/status') ? { status: 503, body: { error: 'agent is starting: first tick not finished' } } : undefined),
    ]);
    renderPanel(panelProps({}, demoFrames()), agent.fetch);
    expect(await screen.findByTestId(testIds.panel.agentError)).toHaveTextContent('agent is starting: first tick not finished');
    expect(screen.getByTestId(testIds.target.card('api'))).toBeInTheDocument();
  });

  it('agent unreachable through the proxy (502): keeps the last data, marked stale, and says so', async () => {
    let up = true;
    const agent = fakeAgent([(req) => (up ? undefined : { status: 502 })]);
    renderPanel(panelProps({}, demoFrames()), agent.fetch);
    await screen.findByTestId(testIds.panel.agentInfo);
    up = false;
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick', 'setImmediate'] });
    try {
      act(() => FakeEventSource.opened[0].onerror?.(new Event('error'))); // the stream drops too: the panel polls
      await act(async () => {
        jest.advanceTimersByTime(10_000);
      });
    } finally {
      jest.useRealTimers();
    }
    const alert = await screen.findByTestId(testIds.panel.agentError);
    expect(alert).toHaveTextContent(/Agent unreachable: showing its data from \d\d:\d\d:\d\d UTC \(stale\)/);
    expect(alert).toHaveTextContent("the agent is unreachable through Grafana's proxy (HTTP 502)");
    expect(screen.getByTestId(testIds.panel.container)).toHaveAttribute('data-stale', 'true');
    expect(screen.getByTestId(testIds.target.badge('saturday'))).toBeInTheDocument(); // the last status still shown
    expect(screen.getByTestId(testIds.live.indicator)).toHaveTextContent('live stream lost: reconnecting, polling every 10 s');
  });

  it('never holds a token: requests go to the app proxy without Authorization; stream events update the panel', async () => {
    const agent = fakeAgent();
    const props = panelProps({}, demoFrames());
    renderPanel(props, agent.fetch);
    await screen.findByTestId(testIds.panel.agentInfo);
    expect(agent.requests.length).toBeGreaterThan(0);
    expect(agent.requests.every((r) => r.url.startsWith(`${AGENT}/api/v1/`) && r.headers.Authorization === undefined)).toBe(true);
    const stream = FakeEventSource.opened[0];
    expect(stream.url).toBe(`${AGENT}/api/v1/stream`);
    act(() => {
      stream.onopen?.(new Event('open'));
      stream.emit(
        'load',
        {
          target: 'api',
          at: new Date(NOW + 60_000).toISOString(),
          observed: 512,
          stale: false,
          forecastAtLead: 500,
          lower: 450,
          upper: 550,
          anomaly: { score: 0.1, kind: 'none' },
          replicas: { current: 9, desired: 11 },
        },
        41,
      );
    });
    const api = screen.getByTestId(testIds.target.card('api'));
    expect(within(api).getByTestId(testIds.target.replicasDesired)).toHaveTextContent('11');
    expect(screen.getByTestId(testIds.live.indicator)).toHaveAttribute('data-last-event-id', '41');
    act(() =>
      stream.emit(
        'load',
        {
          target: 'api',
          at: new Date(NOW + 60_000).toISOString(),
          observed: 1,
          stale: false,
          forecastAtLead: 1,
          lower: 1,
          upper: 1,
          anomaly: { score: 0, kind: 'none' },
          replicas: { current: 1, desired: 1 },
        },
        41,
      ),
    );
    expect(within(api).getByTestId(testIds.target.replicasDesired)).toHaveTextContent('11'); // a duplicate id is dropped
    expect(JSON.stringify(props.options)).not.toMatch(/token/i);
  });
});

describe('override controls', () => {
  async function openForm() {
    const user = userEvent.setup();
    const created: unknown[] = [];
    const agent = fakeAgent([
      (req) => {
        if (req.method !== 'POST') {
          return undefined;
        }
        created.push(req.body);
        return {
          status: 201,
          body: { id: 'ov-9', ...(req.body as object), author: 'operator', createdAt: new Date(NOW).toISOString(), untilWeddingEnds: false },
        };
      },
    ]);
    renderPanel(panelProps({}, demoFrames()), agent.fetch);
    await user.click(await screen.findByTestId(testIds.override.openForm));
    return { user, agent, created };
  }

  it('validates before sending anything', async () => {
    const { user, agent } = await openForm();
    await user.clear(screen.getByTestId(testIds.override.replicas));
    await user.type(screen.getByTestId(testIds.override.replicas), '99');
    await user.clear(screen.getByTestId(testIds.override.duration));
    await user.type(screen.getByTestId(testIds.override.duration), 'soon');
    await user.click(screen.getByTestId(testIds.override.review));
    expect(screen.getByTestId(testIds.override.fieldError('replicas'))).toHaveTextContent("at most the target's maximum (20)");
    expect(screen.getByTestId(testIds.override.fieldError('duration'))).toHaveTextContent('90m, 2h or 1h30m');
    expect(screen.getByTestId(testIds.override.fieldError('reason'))).toHaveTextContent('say why');
    expect(screen.queryByTestId(testIds.override.confirmation)).toBeNull();
    expect(agent.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
  });

  it('sends the exact request after a confirmation step, through the app proxy', async () => {
    const { user, agent, created } = await openForm();
    await user.click(screen.getByRole('radio', { name: 'photos' }));
    await user.click(screen.getByRole('radio', { name: /Pin/ }));
    await user.clear(screen.getByTestId(testIds.override.replicas));
    await user.type(screen.getByTestId(testIds.override.replicas), '4');
    await user.clear(screen.getByTestId(testIds.override.duration));
    await user.type(screen.getByTestId(testIds.override.duration), '1h30m');
    await user.type(screen.getByTestId(testIds.override.reason), 'photo upload rush');
    await user.click(screen.getByTestId(testIds.override.review));
    expect(screen.getByTestId(testIds.override.confirmation)).toHaveTextContent('Pin photos to 4 replicas until 2027-06-05T15:30:00.000Z');
    expect(created).toHaveLength(0); // nothing sent before confirming
    await user.click(screen.getByTestId(testIds.override.confirm));
    await waitFor(() => expect(created).toHaveLength(1));
    expect(created[0]).toEqual({ target: 'photos', type: 'pin', replicas: 4, until: '2027-06-05T15:30:00.000Z', reason: 'photo upload rush' });
    const post = agent.requests.find((r) => r.method === 'POST')!;
    expect(post.url).toBe(`${AGENT}/api/v1/overrides`);
    expect(post.headers.Authorization).toBeUndefined(); // Grafana's proxy adds the token
    await waitFor(() => expect(screen.queryByTestId(testIds.override.form)).toBeNull());
  });

  it('shows the agent refusal as worded, next to the field it names', async () => {
    const user = userEvent.setup();
    const agent = fakeAgent([
      (req) =>
        req.method === 'POST'
          ? { status: 400, body: { error: 'invalid override', details: [{ field: 'replicas', reason: 'must be ≤ maxReplicas (20) of target api' }] } }
          : undefined,
    ]);
    renderPanel(panelProps({}, demoFrames()), agent.fetch);
    await user.click(await screen.findByTestId(testIds.override.openForm));
    await user.click(screen.getByRole('radio', { name: /Freeze/ }));
    await user.type(screen.getByTestId(testIds.override.reason), 'hold still');
    await user.click(screen.getByTestId(testIds.override.review));
    await user.click(screen.getByTestId(testIds.override.confirm));
    const alert = await screen.findByTestId(testIds.override.requestError);
    expect(alert).toHaveTextContent('invalid override');
    expect(alert).toHaveTextContent('replicas: must be ≤ maxReplicas (20) of target api');
    const sent = agent.requests.find((r) => r.method === 'POST')!.body as Record<string, unknown>;
    expect(sent.type).toBe('freeze');
    expect(sent).not.toHaveProperty('replicas'); // a freeze carries no replica count
  });

  it('clears an override only after a second, confirming click', async () => {
    const user = userEvent.setup();
    const override = {
      id: 'ov-1',
      target: 'api',
      type: 'pin' as const,
      replicas: 6,
      until: new Date(NOW + 3600_000).toISOString(),
      untilWeddingEnds: false,
      reason: 'load test',
      author: 'operator',
      createdAt: new Date(NOW).toISOString(),
    };
    const agent = fakeAgent([
      (req) => (req.url.endsWith('/status') ? { status: 200, body: demoStatus([override]) } : undefined),
      (req) => (req.method === 'DELETE' ? { status: 204 } : undefined),
    ]);
    renderPanel(panelProps({}, demoFrames()), agent.fetch);
    const row = await screen.findByTestId(testIds.override.active('ov-1'));
    await user.click(within(row).getByRole('button', { name: 'Clear…' }));
    expect(agent.requests.some((r) => r.method === 'DELETE')).toBe(false);
    await user.click(screen.getByTestId(testIds.override.clear('ov-1')));
    await waitFor(() => expect(agent.requests.some((r) => r.method === 'DELETE')).toBe(true));
    const del = agent.requests.find((r) => r.method === 'DELETE')!;
    expect(del.url).toBe(`${AGENT}/api/v1/overrides/ov-1`);
    expect(del.headers.Authorization).toBeUndefined();
    // The panel reloads the status after clearing, so the list reflects the agent, not a guess.
    await waitFor(() => expect(agent.requests.filter((r) => r.url.endsWith('/status')).length).toBeGreaterThanOrEqual(2));
  });
});

describe('wedding timeline', () => {
  it('draws the soonest weddings and counts the rest', async () => {
    const many = Array.from({ length: 12 }, (_, i) => ({
      weddingId: `w${i}`,
      title: `Wedding ${i}`,
      timezone: 'Europe/London',
      day: 0,
      localDate: '2027-06-05',
      start: new Date(NOW + i * 3600_000).toISOString(),
      end: new Date(NOW + (i + 5) * 3600_000).toISOString(),
      saturdayProtection: i % 2 === 0,
      guests: 100,
      tradition: 'civil',
    }));
    const agent = fakeAgent([(req) => (req.url.includes('/calendar') ? { status: 200, body: { windows: many } } : undefined)]);
    renderPanel(panelProps({}, demoFrames()), agent.fetch);
    await screen.findByTestId(testIds.timeline.wedding('w0'));
    expect(screen.getByTestId(testIds.timeline.wedding('w7'))).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.timeline.wedding('w8'))).toBeNull();
    expect(screen.getByTestId(testIds.timeline.container)).toHaveTextContent('+4 more');
  });
});

describe('clearing refused by the agent', () => {
  it('shows the refusal as worded and keeps the override listed', async () => {
    const user = userEvent.setup();
    const override = {
      id: 'ov-2',
      target: 'api',
      type: 'pin' as const,
      replicas: 6,
      until: new Date(NOW + 3600_000).toISOString(),
      untilWeddingEnds: false,
      reason: 'load test',
      author: 'operator',
      createdAt: new Date(NOW).toISOString(),
    };
    const agent = fakeAgent([
      (req) => (req.url.endsWith('/status') ? { status: 200, body: demoStatus([override]) } : undefined),
      (req) => (req.method === 'DELETE' ? { status: 403, body: { error: 'role "coordinator" may only remove wedding-long freezes and floors' } } : undefined),
    ]);
    renderPanel(panelProps({}, demoFrames()), agent.fetch);
    const row = await screen.findByTestId(testIds.override.active('ov-2'));
    await user.click(within(row).getByRole('button', { name: 'Clear…' }));
    await user.click(screen.getByTestId(testIds.override.clear('ov-2')));
    expect(await screen.findByTestId(testIds.override.clearError('ov-2'))).toHaveTextContent(
      'Not cleared: the agent refused the WedSync app\'s token (role "coordinator" may only remove wedding-long freezes and floors)',
    );
    expect(screen.getByTestId(testIds.override.active('ov-2'))).toBeInTheDocument();
  });
});

describe('per-target gaps', () => {
  it('says which series a target lacks instead of drawing an empty chart', async () => {
    const agent = fakeAgent([(req) => (/\/forecast/.test(req.url) ? { status: 500, body: { error: 'forecaster not ready' } } : undefined)]);
    renderPanel(panelProps({}, []), agent.fetch);
    const api = await screen.findByTestId(testIds.target.card('api'));
    expect(within(api).getByTestId(testIds.target.chartEmpty)).toHaveTextContent('add queries for wedsync_agent_observed_load');
    expect(screen.getByTestId(testIds.panel.container)).toHaveTextContent('forecast for api: forecaster not ready');
  });
});

describe('ScalingPanel: deploy freeze and break glass in the protection badges', () => {
  it('shows until when deploys wait (with the live weddings) and the last break glass, per target', async () => {
    const agent = fakeAgent();
    renderPanel(panelProps({}, demoFrames()), agent.fetch);
    const api = await screen.findByTestId(testIds.target.card('api'));
    await waitFor(() =>
      expect(within(api).getByTestId(testIds.target.badge('deploy_freeze'))).toHaveTextContent('Deploy freeze until 20:00 UTC · 6h 00m left'),
    );
    expect(within(api).getByTestId(testIds.target.badge('break_glass'))).toHaveTextContent('Break glass 13:20 UTC: INC-4711 payment outage');
    const photos = screen.getByTestId(testIds.target.card('photos'));
    expect(within(photos).queryByTestId(testIds.target.badge('deploy_freeze'))).toBeNull();
    expect(within(photos).queryByTestId(testIds.target.badge('break_glass'))).toBeNull();
    expect(agent.requests.some((r) => new URL(r.url, 'http://grafana').pathname === `${AGENT}/api/v1/deploy-freeze`)).toBe(true);
  });

  it('an agent without the freeze route still renders every card, with a note (and the status flag alone)', async () => {
    const agent = fakeAgent([
      (req) => (req.url.endsWith('/deploy-freeze') ? { status: 404, body: { error: 'no route GET /api/v1/deploy-freeze' } } : undefined),
    ]);
    renderPanel(panelProps({}, demoFrames()), agent.fetch);
    expect(await screen.findByText('deploy freeze: no route GET /api/v1/deploy-freeze')).toBeInTheDocument();
    const api = screen.getByTestId(testIds.target.card('api'));
    expect(within(api).queryByTestId(testIds.target.badge('break_glass'))).toBeNull();
    expect(within(api).getByTestId(testIds.target.badge('saturday'))).toHaveTextContent('Saturday freeze');
  });
});
