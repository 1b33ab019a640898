import { AgentApiError, apiBase, createAgentClient } from './agentClient';
import { fakeAgent } from '../__fixtures__/panelFixtures';

describe('createAgentClient', () => {
  it('calls the /api/v1 routes with the bearer token read at request time', async () => {
    let token: string | null = null;
    const agent = fakeAgent([(req) => (req.method === 'DELETE' ? { status: 204 } : req.url.endsWith('/overrides') ? { status: 200, body: [] } : undefined)]);
    const client = createAgentClient({ baseUrl: 'http://a:1/', getToken: () => token, fetch: agent.fetch });
    await client.status();
    token = 'tok';
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
    expect(agent.requests[0].headers.Authorization).toBeUndefined();
    expect(agent.requests[1].headers.Authorization).toBe('Bearer tok');
  });

  it('posts JSON and returns the created override', async () => {
    const agent = fakeAgent([(req) => (req.method === 'POST' ? { status: 201, body: { id: 'ov-1', ...(req.body as object) } } : undefined)]);
    const client = createAgentClient({ baseUrl: 'http://a:1', getToken: () => 't', fetch: agent.fetch });
    const created = await client.setOverride({ target: 'api', type: 'freeze', until: '2027-06-05T16:00:00Z', reason: 'hold' });
    expect(created.id).toBe('ov-1');
    expect(agent.requests[0].headers['Content-Type']).toBe('application/json');
    expect(agent.requests[0].body).toEqual({ target: 'api', type: 'freeze', until: '2027-06-05T16:00:00Z', reason: 'hold' });
  });

  it('raises the agent wording, its field details and whether a token is needed', async () => {
    const agent = fakeAgent([
      (req) => (req.url.endsWith('/status') ? { status: 403, body: { error: 'role viewer may not set overrides', details: [{ field: 'role', reason: 'needs operator' }] } } : undefined),
    ]);
    const client = createAgentClient({ baseUrl: 'http://a:1', getToken: () => 't', fetch: agent.fetch });
    const err = (await client.status().catch((e) => e)) as AgentApiError;
    expect(err).toBeInstanceOf(AgentApiError);
    expect(err.message).toBe('role viewer may not set overrides');
    expect(err.status).toBe(403);
    expect(err.needsToken).toBe(true);
    expect(err.details).toEqual([{ field: 'role', reason: 'needs operator' }]);
  });

  it('words non-JSON failures and network failures', async () => {
    const plain = createAgentClient({ baseUrl: 'http://a:1', getToken: () => null, fetch: async () => ({ status: 502, ok: false, text: async () => 'Bad Gateway' }) });
    await expect(plain.status()).rejects.toThrow('agent answered HTTP 502: Bad Gateway');
    const down = createAgentClient({ baseUrl: 'http://a:1', getToken: () => null, fetch: async () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(down.status()).rejects.toThrow(/cannot reach the agent at http:\/\/a:1\/api\/v1 \(Failed to fetch\).*CORS/);
  });

  it('accepts a base URL that already ends in /api/v1', () => {
    expect(apiBase('https://agent.example/api/v1/')).toBe('https://agent.example/api/v1');
    expect(apiBase(' https://agent.example ')).toBe('https://agent.example/api/v1');
  });
});
