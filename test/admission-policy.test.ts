/**
 * The deploy-freeze ValidatingAdmissionPolicy (agent/deploy/overlays/admission), its CEL evaluated by a
 * real CEL evaluator (@bufbuild/cel; test/support/validating-admission-policy.ts does what the API server
 * does around it) against AdmissionReview v1 requests in the shape the API server sends
 * (test/fixtures/admission; hand-built, there being no cluster here), with the parameter ConfigMap's data
 * made by the agent's own code (freeze/admission-params.ts) from a real freeze.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { configSchema } from '../agent/src/app/config-schema';
import { indexCalendar } from '../agent/src/calendar/rules';
import { targetCalendar } from '../agent/src/calendar/target-calendar';
import { admissionParams, frozenKey } from '../agent/src/freeze/admission-params';
import { freezeSummary } from '../agent/src/freeze/freeze-summary';
import { AgentState } from '../agent/src/state';
import { admit } from './support/validating-admission-policy';

const OVERLAY = join(__dirname, '../agent/deploy/overlays/admission');
const load = (f: string) => parseAllDocuments(readFileSync(join(OVERLAY, f), 'utf8')).map((d) => d.toJS())[0];
const policy = load('policy.yaml');
const binding = load('binding.yaml');
const RECORDED = JSON.parse(readFileSync(join(__dirname, 'fixtures/admission/deployment-image-update.json'), 'utf8'));

const SATURDAY = Date.parse('2027-06-05T14:00:00Z');
const SUNDAY = Date.parse('2027-06-06T14:00:00Z');
const TTL = 120_000;
const AGENT = 'system:serviceaccount:wedsync:wedsync-agent';
const BREAK = 'wedsync.io/emergency-change';

/** The ConfigMap the agent's leader would write at `atMs` (its data from the agent's own functions). */
function paramsAt(atMs: number) {
  const config = configSchema.parse({
    sources: { sim: { type: 'simulator' } },
    targets: [
      { id: 'api', kubernetes: { namespace: 'weddings', name: 'api' }, load: { source: 'sim', query: 'q' }, capacityPerPod: 50, maxReplicas: 40 },
      {
        id: 'ledger',
        kubernetes: { kind: 'StatefulSet', namespace: 'weddings', name: 'ledger.v2' },
        load: { source: 'sim', query: 'q' },
        capacityPerPod: 50,
        maxReplicas: 40,
      },
    ],
  });
  const calendar = indexCalendar(
    {
      weddings: [
        {
          id: 'w-london',
          title: 'Ada & Ben',
          start: '2027-06-05T13:00:00+01:00',
          timezone: 'Europe/London',
          days: 1,
          guests: 150,
          tradition: 'british',
          vendors: 8,
        },
      ],
    },
    config.wedding,
  );
  const state = new AgentState(
    { version: 't', cluster: 'c', mode: 'act', leader: true, startedAtMs: 0, lastTickMs: atMs, lastTickDurationMs: 1, ticks: 1, ready: true },
    config.targets,
    calendar,
  );
  for (const t of state.targets.values()) t.view = { atMs, load: 1, readError: null, overrides: [], calendar: targetCalendar(calendar, t.config, atMs) };
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'wedsync-deploy-freeze', namespace: 'wedsync' },
    data: admissionParams(freezeSummary(state), atMs, TTL),
  };
}

type Review = typeof RECORDED;
/** The recorded request with edits applied to a deep copy. */
function review(edit: (r: Review['request']) => void = () => undefined): Review {
  const r = structuredClone(RECORDED);
  edit(r.request);
  return r;
}
const container = (o: Review['request']['object']) => o.spec.template.spec.containers[0];
const sameTemplate = (r: Review['request']) => (r.object.spec.template = structuredClone(r.oldObject.spec.template));

describe('deploy-freeze admission policy (real CEL evaluator, AdmissionReview v1 requests)', () => {
  const frozen = paramsAt(SATURDAY);

  it("the agent's parameter names the frozen workloads by kind, namespace and name, with the reason", () => {
    expect(Object.keys(frozen.data).sort()).toEqual(
      ['expiresAt', frozenKey('Deployment', 'weddings', 'api'), frozenKey('StatefulSet', 'weddings', 'ledger.v2')].sort(),
    );
    expect(frozen.data.expiresAt).toBe('2027-06-05T14:02:00.000Z');
    expect(frozen.data['frozen.Deployment.weddings.api']).toMatch(/api: 1 wedding\(s\) live on a protected day until .*Ada & Ben \(w-london/);
  });

  it.each([
    ['an image change', (r: Review['request']) => r],
    [
      'an env change',
      (r: Review['request']) => {
        sameTemplate(r);
        container(r.object).env = [{ name: 'LOG_LEVEL', value: 'debug' }];
      },
    ],
    [
      'a command change',
      (r: Review['request']) => {
        sameTemplate(r);
        container(r.object).command = ['/bin/api', '--fast'];
      },
    ],
    [
      'a new pod label (rollout restart)',
      (r: Review['request']) => {
        sameTemplate(r);
        r.object.spec.template.metadata.annotations = { 'kubectl.kubernetes.io/restartedAt': '2027-06-05T14:00:04Z' };
      },
    ],
  ])('refuses %s of a frozen Deployment while the Saturday wedding is live, naming it', (_what, edit) => {
    const out = admit(policy, binding, review(edit), frozen);
    expect(out).toMatchObject({ allowed: false, reason: 'Forbidden' });
    expect(out.message).toMatch(/^WedSync deploy freeze: api: 1 wedding\(s\) live .*Ada & Ben.*wedsync\.io\/emergency-change: "<reason>"/);
    expect(out.errors).toEqual([]);
  });

  it('refuses a pod-template change of a frozen StatefulSet (kind in the key, a dotted name)', () => {
    const out = admit(
      policy,
      binding,
      review((r) => {
        for (const o of [r.object, r.oldObject]) {
          o.kind = 'StatefulSet';
          o.metadata.name = 'ledger.v2';
        }
        r.resource.resource = 'statefulsets';
      }),
      frozen,
    );
    expect(out.allowed).toBe(false);
  });

  it('lets replica changes through (spec.replicas edited, template unchanged)', () => {
    const out = admit(
      policy,
      binding,
      review((r) => {
        sameTemplate(r);
        r.object.spec.replicas = 30;
      }),
      frozen,
    );
    expect(out).toMatchObject({ allowed: true, errors: [] });
  });

  it("does not even see the scale subresource (kubectl scale, the agent's scaling)", () => {
    expect(
      admit(
        policy,
        binding,
        review((r) => {
          r.subResource = 'scale';
        }),
        frozen,
      ).skipped,
    ).toBe('no-match');
  });

  // Deleting a frozen workload and creating it anew with another image is a deploy too.
  const create = (r: Review['request']) => {
    r.operation = 'CREATE';
    r.oldObject = null;
    r.options = { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions', fieldManager: 'argocd-controller' };
  };
  it('refuses creating a frozen workload anew while the freeze holds; break glass lets it through', () => {
    expect(admit(policy, binding, review(create), frozen)).toMatchObject({ allowed: false, reason: 'Forbidden', errors: [] });
    expect(
      admit(
        policy,
        binding,
        review((r) => {
          create(r);
          r.object.metadata.annotations[BREAK] = 'INC-4714: restore the deleted api';
        }),
        frozen,
      ),
    ).toMatchObject({ allowed: true, errors: [] });
    expect(admit(policy, binding, review(create), paramsAt(SUNDAY))).toMatchObject({ allowed: true, errors: [] });
  });

  it("lets the agent's own patches through (its service account), even of the template", () => {
    const out = admit(
      policy,
      binding,
      review((r) => {
        r.userInfo.username = AGENT;
        r.object.metadata.annotations['wedsync.io/overrides'] = '[{"id":"o1"}]';
      }),
      frozen,
    );
    expect(out).toMatchObject({ allowed: true, errors: [] });
  });

  it('break glass: the annotation with a reason, set in the same change, lets it through and writes who and why to the audit log', () => {
    const out = admit(
      policy,
      binding,
      review((r) => {
        r.object.metadata.annotations[BREAK] = 'INC-4711: payment provider outage';
      }),
      frozen,
    );
    expect(out).toMatchObject({ allowed: true, errors: [] });
    expect(out.auditAnnotations).toEqual({ 'wedsync-deploy-freeze/break-glass': 'system:serviceaccount:ci:deployer: INC-4711: payment provider outage' });
  });

  it.each([[''], ['   '], ['\t\n']])('break glass with an empty reason (%j) is refused, frozen or not', (reason) => {
    for (const params of [frozen, paramsAt(SUNDAY)]) {
      const out = admit(
        policy,
        binding,
        review((r) => {
          r.object.metadata.annotations[BREAK] = reason;
        }),
        params,
      );
      expect(out).toMatchObject({ allowed: false, reason: 'Invalid' });
      expect(out.message).toMatch(/needs a reason/);
    }
  });

  it('break glass is per change: the reason left on the object from the last emergency does not open the next deploy', () => {
    const out = admit(
      policy,
      binding,
      review((r) => {
        r.object.metadata.annotations[BREAK] = 'INC-4711: payment provider outage';
        r.oldObject.metadata.annotations[BREAK] = 'INC-4711: payment provider outage';
      }),
      frozen,
    );
    expect(out.allowed).toBe(false);
    const renewed = admit(
      policy,
      binding,
      review((r) => {
        r.object.metadata.annotations[BREAK] = 'INC-4712: second fix';
        r.oldObject.metadata.annotations[BREAK] = 'INC-4711: payment provider outage';
      }),
      frozen,
    );
    expect(renewed.allowed).toBe(true);
  });

  it('on the Sunday (no protected wedding live) the same deploy passes', () => {
    const sunday = paramsAt(SUNDAY);
    expect(Object.keys(sunday.data)).toEqual(['expiresAt']);
    const out = admit(
      policy,
      binding,
      review((r) => {
        for (const f of r.object.metadata.managedFields) f.time = '2027-06-06T14:00:05Z';
      }),
      sunday,
    );
    expect(out).toMatchObject({ allowed: true, errors: [] });
  });

  it('fails open: once the heartbeat has expired (the agent stopped), the deploy passes', () => {
    // The API server stamps this change 10 minutes after the agent's last write (expiresAt 14:02).
    const out = admit(
      policy,
      binding,
      review((r) => {
        r.object.metadata.managedFields[0].time = '2027-06-05T14:10:00Z';
      }),
      frozen,
    );
    expect(out).toMatchObject({ allowed: true, errors: [] });
    // One second before expiry it still holds.
    expect(
      admit(
        policy,
        binding,
        review((r) => {
          r.object.metadata.managedFields[0].time = '2027-06-05T14:01:59Z';
        }),
        frozen,
      ).allowed,
    ).toBe(false);
  });

  // A client may write managedFields itself, times included, and the API server keeps what it wrote
  // (test/real-cluster-freeze.test.ts shows it on a real kube-apiserver): a hand-dated entry must not
  // read as the server's stamp past the heartbeat.
  const forged = {
    manager: 'helpful-tool',
    operation: 'Update',
    apiVersion: 'apps/v1',
    time: '2099-01-01T00:00:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:metadata': { 'f:labels': {} } },
  };
  it('a hand-written managedFields entry of another manager, dated after the heartbeat, does not switch the freeze off', () => {
    const out = admit(
      policy,
      binding,
      review((r) => {
        r.object.metadata.managedFields.push(forged);
      }),
      frozen,
    );
    expect(out).toMatchObject({ allowed: false, reason: 'Forbidden' });
  });

  it("nor does a later-dated entry of the requester's own manager beside the stamp the server put on this change", () => {
    const out = admit(
      policy,
      binding,
      review((r) => {
        r.object.metadata.managedFields.push({ ...forged, manager: 'argocd-controller', operation: 'Apply' });
      }),
      frozen,
    );
    expect(out).toMatchObject({ allowed: false, reason: 'Forbidden' });
  });

  it('a client that names no field manager shows no stamp of its own: after the heartbeat it still needs break glass', () => {
    const late = (r: Review['request']) => {
      r.object.metadata.managedFields[0].time = '2027-06-05T14:10:00Z';
      delete r.options.fieldManager;
    };
    expect(admit(policy, binding, review(late), frozen).allowed).toBe(false);
    expect(
      admit(
        policy,
        binding,
        review((r) => {
          late(r);
          r.object.metadata.annotations[BREAK] = 'INC-4713: agent down';
        }),
        frozen,
      ).allowed,
    ).toBe(true);
  });

  it('fails open: no parameter ConfigMap, or one without a heartbeat, freezes nothing', () => {
    expect(admit(policy, binding, review(), null)).toMatchObject({ allowed: true, skipped: 'no-params' });
    const { expiresAt: _dropped, ...noHeartbeat } = frozen.data;
    expect(admit(policy, binding, review(), { ...frozen, data: noHeartbeat }).allowed).toBe(true);
    expect(admit(policy, binding, review(), { ...frozen, data: undefined }).allowed).toBe(true);
  });

  it('workloads outside the bound namespaces, and workloads that are not targets, are never frozen', () => {
    expect(
      admit(
        policy,
        binding,
        review((r) => {
          r.namespace = 'shop';
          r.object.metadata.namespace = 'shop';
        }),
        frozen,
      ).skipped,
    ).toBe('no-match');
    const other = admit(
      policy,
      binding,
      review((r) => {
        r.object.metadata.name = 'billing';
        r.oldObject.metadata.name = 'billing';
      }),
      frozen,
    );
    expect(other).toMatchObject({ allowed: true, errors: [] });
  });

  it('the evaluator is real: a broken expression is an error (ignored under failurePolicy Ignore, refused under Fail)', () => {
    const broken = structuredClone(policy);
    broken.spec.validations[1].expression = 'variables.frozen &&';
    expect(admit(broken, binding, review(), frozen)).toMatchObject({ allowed: true });
    expect(admit(broken, binding, review(), frozen).errors[0]).toMatch(/validations\[1\]/);
    broken.spec.failurePolicy = 'Fail';
    expect(admit(broken, binding, review(), frozen).allowed).toBe(false);
  });
});
