/** Config mistakes `validate` used to pass silently (issue 12): each one now names its key and why. */
import { configWarnings } from './agent-config';
import { configSchema } from '../app/config-schema';

const base = () => ({
  sources: { prom: { type: 'prometheus', url: 'http://127.0.0.1:9090' } },
  targets: [
    { id: 'api', kubernetes: { namespace: 'n', name: 'api' }, load: { source: 'prom', query: 'sum(rate(x[1m]))' }, capacityPerPod: 10, maxReplicas: 20 },
  ],
});

const rows: Array<{ name: string; patch: (c: Record<string, any>) => void; path: string; message: RegExp }> = [
  {
    name: 'a tick timeout longer than the tick',
    patch: (c) => (c.agent = { tickSeconds: 15, tickTimeoutSeconds: 30 }),
    path: 'agent.tickTimeoutSeconds',
    message: /longer than agent.tickSeconds/,
  },
  {
    name: 'staleAfterSeconds shorter than a tick',
    patch: (c) => (c.sources.prom.staleAfterSeconds = 0.001),
    path: 'sources.prom.staleAfterSeconds',
    message: /shorter than agent.tickSeconds/,
  },
  {
    name: 'a listen host that is no host',
    patch: (c) => (c.agent = { listen: { host: 'not a host!!' } }),
    path: 'agent.listen.host',
    message: /IP address or a host name/,
  },
  {
    name: 'an ftp:// calendar (it used to be read as a file path)',
    patch: (c) => (c.calendar = { sources: [{ format: 'json', location: 'ftp://example.org/w.json' }] }),
    path: 'calendar.sources.0.location',
    message: /http\(s\) URL or a file path/,
  },
  {
    name: 'a deploy freeze without a cluster',
    patch: (c) => (c.kubernetes = { deployFreeze: {} }),
    path: 'kubernetes.deployFreeze',
    message: /needs a Kubernetes connection/,
  },
  {
    name: 'a freeze heartbeat shorter than three ticks',
    patch: (c) => ((c.agent = { tickSeconds: 30 }), (c.kubernetes = { connection: 'in-cluster', deployFreeze: { heartbeatSeconds: 80 } })),
    path: 'kubernetes.deployFreeze.heartbeatSeconds',
    message: /at least 3 × agent.tickSeconds \(30 s\)/,
  },
];

describe('config cross-field checks', () => {
  test.each(rows)('$name → $path', ({ patch, path, message }) => {
    const cfg: Record<string, any> = base();
    patch(cfg);
    const result = configSchema.safeParse(cfg);
    expect(result.success).toBe(false);
    const issue = result.error!.issues.find((i) => i.path.join('.') === path);
    expect(issue?.message).toMatch(message);
  });

  test.each([['127.0.0.1'], ['0.0.0.0'], ['::'], ['localhost'], ['agent.wedsync.svc.cluster.local']])('listen host %s is accepted', (host) => {
    const cfg: Record<string, any> = base();
    cfg.agent = { listen: { host } };
    expect(configSchema.safeParse(cfg).success).toBe(true);
  });

  test('the defaults pass', () => {
    expect(configSchema.safeParse(base()).success).toBe(true);
  });

  test('protectedWeekdays: [] is valid (replays use it to price the rule) but never silent: a warning names the key', () => {
    const cfg: Record<string, any> = base();
    cfg.wedding = { protectedWeekdays: [] };
    const parsed = configSchema.parse(cfg);
    expect(configWarnings(parsed)).toEqual([
      { path: 'wedding.protectedWeekdays', message: expect.stringMatching(/Saturday protection and the deploy freeze are off/) },
    ]);
    expect(configWarnings(configSchema.parse(base()))).toEqual([]);
  });
});
