import { AgentApiError, apiBase, createAgentClient } from './agentClient';
import { fakeAgent } from '../__fixtures__/panelFixtures';

describe('createAgentClient', () => {
  it('calls the /api/v1 routes under the base (the app proxy), never with a token of its own', async () => {
    const agent = fakeAgent([(req) => (req.method === 'DELETE' ? { status: 204 } : req.url.endsWith('/overrides') ? { status: 200, body: [] } : undefined)]);
    const client = createAgentClient({ baseUrl: 'http://a:1/', fetch: agent.fetch });
    await client.status();
    await client.forecast('api/x', 6);
    await client.calendar(new Date('2027-06-05T00:00:00Z'), new Date('2027-06-07T00:00:00Z'));
    await client.overrides();
    await client.clearOverride('ov 1');
    expect(agent.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET http://a:1/api/v1/status',
      'GET http://a:1/api/v1/targets/api%2Fx/forecast?horizon=6',
      'GET http://a:1/api/v1/calendar?from=2027-06-05T00%3A00%3A00.000Z&to=2027-06-07T00%3A00%3A00.000Z',
      'GET http://a:1/api/v1/overrides',
      'DELETE http://a:1/api/v1/overrides/ov%201',
    ]);
    expect(agent.requests.map((r) => r.headers.Authorization)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('posts JSON and returns the created override', async () => {
    const agent = fakeAgent([(req) => (req.method === 'POST' ? { status: 201, body: { id: 'ov-1', ...(req.body as object) } } : undefined)]);
    const client = createAgentClient({ baseUrl: 'http://a:1', fetch: agent.fetch });
    const created = await client.setOverride({ target: 'api', type: 'freeze', until: '2027-06-05T16:00:00Z', reason: 'hold' });
    expect(created.id).toBe('ov-1');
    expect(agent.requests[0].headers['Content-Type']).toBe('application/json');
    expect(agent.requests[0].body).toEqual({ target: 'api', type: 'freeze', until: '2027-06-05T16:00:00Z', reason: 'hold' });
  });

  it('raises the agent wording and its field details', async () => {
    const agent = fakeAgent([
      (req) =>
        req.url.endsWith('/status') ? { status: 400, body: { error: 'invalid query', details: [{ field: 'horizon', reason: 'must be ≤ 48' }] } } : undefined,
    ]);
    const client = createAgentClient({ baseUrl: 'http://a:1', fetch: agent.fetch });
    const err = (await client.status().catch((e) => e)) as AgentApiError;
    expect(err).toBeInstanceOf(AgentApiError);
    expect(err.message).toBe('invalid query');
    expect(err.status).toBe(400);
    expect(err.refusal).toBeNull();
    expect(err.details).toEqual([{ field: 'horizon', reason: 'must be ≤ 48' }]);
  });

  it.each([
    [
      'Grafana refuses the route (403, a Viewer)',
      403,
      { message: 'plugin proxy route access denied' },
      'grafana-role',
      /Grafana refused \(plugin proxy route access denied\).*Editor role/,
    ],
    [
      "the agent refuses the app token's role (403)",
      403,
      { error: 'role "viewer" may not do this (needs operator or above)' },
      'agent-role',
      /agent refused the WedSync app's token \(role "viewer".*operator role on the WedSync app's configuration page/,
    ],
    [
      'the agent does not know the token (401)',
      401,
      { error: 'missing or invalid bearer token' },
      'agent-token',
      /does not accept the WedSync app's token.*set a valid token/,
    ],
  ] as const)('explains who refused: %s', async (_name, status, body, refusal, message) => {
    const client = createAgentClient({ baseUrl: '/api/plugin-proxy/wedsync-scaling-app', fetch: fakeAgent([() => ({ status, body })]).fetch });
    const err = (await client.setOverride({ target: 'api', type: 'freeze', until: '2027-06-05T16:00:00Z', reason: 'x' }).catch((e) => e)) as AgentApiError;
    expect(err.refusal).toBe(refusal);
    expect(err.message).toMatch(message);
  });

  it("words an unreachable agent (Grafana's proxy answers 502 with no body), other failures and network failures", async () => {
    const gone = createAgentClient({ baseUrl: 'http://a:1', fetch: async () => ({ status: 502, ok: false, text: async () => '' }) });
    const err = (await gone.status().catch((e) => e)) as AgentApiError;
    expect(err.message).toMatch(/unreachable through Grafana's proxy \(HTTP 502\): check the agent URL on the WedSync app's configuration page/);
    expect(err.unreachable).toBe(true);
    const plain = createAgentClient({ baseUrl: 'http://a:1', fetch: async () => ({ status: 500, ok: false, text: async () => 'oops' }) });
    await expect(plain.status()).rejects.toThrow('agent answered HTTP 500: oops');
    const down = createAgentClient({ baseUrl: 'http://a:1', fetch: async () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(down.status()).rejects.toThrow("cannot reach Grafana's proxy to the agent (Failed to fetch)");
  });

  it('accepts a base URL that already ends in /api/v1', () => {
    expect(apiBase('https://agent.example/api/v1/')).toBe('https://agent.example/api/v1');
    expect(apiBase(' https://agent.example ')).toBe('https://agent.example/api/v1');
  });
});
