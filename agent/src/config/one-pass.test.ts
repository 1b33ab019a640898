/** `validate` in one pass (issue 24, defect 14): field errors and cross-field errors listed together. */
import { ConfigError, parseConfig } from '../app/config-load';

const problemsOf = (yaml: string): string[] => {
  try {
    parseConfig(yaml, 'cfg.yaml', {});
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  return [];
};

describe('validate lists every problem at once', () => {
  it('reports field errors with act-without-a-cluster, min above max and an unknown source', () => {
    const problems = problemsOf(`
agent: { mode: act, tickSeconds: -1 }
sources: { prom: { type: prometheus, url: "http://127.0.0.1:9090" } }
targets:
  - id: api
    kubernetes: { namespace: n, name: api }
    load: { source: nowhere, query: api_rps }
    capacityPerPod: ten
    minReplicas: 9
    maxReplicas: 3
`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^agent\.tickSeconds: /),
        expect.stringMatching(/^targets\[0\]\.capacityPerPod: /),
        'agent.mode: mode "act" needs a Kubernetes connection (kubernetes.connection is "none")',
        'targets[0].minReplicas: minReplicas (9) is above maxReplicas (3)',
        expect.stringMatching(/^targets\[0\]\.load\.source: unknown source "nowhere"/),
      ]),
    );
  });

  it('parses PromQL with the Prometheus grammar: a missing bracket is an error naming the key', () => {
    const problems = problemsOf(`
sources: { prom: { type: prometheus, url: "http://127.0.0.1:9090" } }
targets:
  - id: api
    kubernetes: { namespace: n, name: api }
    load: { source: prom, query: "sum(rate(http_requests_total[5m])" }
    capacityPerPod: 10
    maxReplicas: 3
  - id: ok
    kubernetes: { namespace: n, name: ok }
    load: { source: prom, query: 'sum by (job) (rate(http_requests_total{job="a"}[5m]))' }
    capacityPerPod: 10
    maxReplicas: 3
`);
    expect(problems).toEqual([
      'targets[0].load.query: is not valid PromQL: it ends too early (an unclosed bracket or a missing operand?) after "_requests_total[5m])"',
    ]);
  });

  it('a rule whose inputs are malformed stays quiet instead of crashing the check', () => {
    expect(problemsOf('targets: 5\n')).toEqual([expect.stringMatching(/^targets: /)]);
  });
});
