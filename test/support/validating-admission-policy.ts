/**
 * What the API server does with a ValidatingAdmissionPolicy and its binding for one AdmissionReview
 * request, with a real CEL evaluator (@bufbuild/cel, the cel-spec conformance-tested ECMAScript CEL):
 * match the request against matchConstraints and the binding's namespace selector, find the parameter
 * (parameterNotFoundAction), evaluate `variables` in order (each may use the ones before), then each
 * validation (false → denied with its message or messageExpression; an error → failurePolicy), then the
 * auditAnnotations. Kubernetes' CEL extension libraries are not here: the policy keeps to the common core.
 */
import { isCelError, run } from '@bufbuild/cel';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
/** Manifests and requests parsed from YAML/JSON, walked by the shapes Kubernetes gives them. */
type Manifest = any;

export interface AdmissionOutcome {
  allowed: boolean;
  /** Why it was not evaluated or was allowed without a decision: no-match, no-params. */
  skipped?: 'no-match' | 'no-params';
  message?: string;
  reason?: string;
  auditAnnotations: Record<string, string>;
  /** Expressions that failed to evaluate (ignored under failurePolicy: Ignore). */
  errors: string[];
}

/** JSON as CEL sees it: objects become maps, whole numbers ints. */
function toCel(v: Json): unknown {
  if (Array.isArray(v)) return v.map(toCel);
  if (v !== null && typeof v === 'object') return new Map(Object.entries(v).map(([k, x]) => [k, toCel(x)]));
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return v;
}

export function admit(policy: Manifest, binding: Manifest, review: Manifest, params: Manifest): AdmissionOutcome {
  const req = review.request;
  const spec = policy.spec;
  const out: AdmissionOutcome = { allowed: true, auditAnnotations: {}, errors: [] };
  const matches = (spec.matchConstraints.resourceRules as Manifest[]).some(
    (r) =>
      r.apiGroups.includes(req.resource.group) &&
      r.apiVersions.includes(req.resource.version) &&
      r.operations.includes(req.operation) &&
      r.resources.includes(req.subResource ? `${req.resource.resource}/${req.subResource}` : req.resource.resource),
  );
  const nsRules = (binding.spec.matchResources?.namespaceSelector?.matchExpressions ?? []) as Manifest[];
  const nsOk = nsRules.every((e) => e.key === 'kubernetes.io/metadata.name' && e.operator === 'In' && e.values.includes(req.namespace));
  if (!matches || !nsOk || binding.spec.policyName !== policy.metadata.name) return { ...out, skipped: 'no-match' };
  if (!params) {
    if (binding.spec.paramRef.parameterNotFoundAction === 'Allow') return { ...out, skipped: 'no-params' };
    return { ...out, allowed: false, message: 'no params found for policy binding' };
  }

  const variables = new Map<string, unknown>();
  const bindings = () => ({ object: toCel(req.object), oldObject: toCel(req.oldObject), request: toCel(req), params: toCel(params), variables });
  const evaluate = (expr: string, what: string): unknown => {
    const v = run(expr, bindings() as never);
    if (isCelError(v)) {
      out.errors.push(`${what}: ${v.message}`);
      return undefined;
    }
    return v;
  };
  for (const v of spec.variables ?? []) {
    const value = evaluate(v.expression, `variables.${v.name}`);
    // A variable that fails is absent: using it fails too (the API server's lazy error, observably the same).
    if (value !== undefined) variables.set(v.name, value);
  }
  for (const [i, val] of (spec.validations as Manifest[]).entries()) {
    const ok = evaluate(val.expression, `validations[${i}]`);
    if (ok === undefined) {
      if (spec.failurePolicy === 'Fail') return { ...out, allowed: false, message: `validation ${i} failed to evaluate` };
      continue;
    }
    if (ok !== true) {
      const m = val.messageExpression ? evaluate(val.messageExpression, `validations[${i}].messageExpression`) : undefined;
      return { ...out, allowed: false, reason: val.reason, message: typeof m === 'string' ? m : val.message };
    }
  }
  for (const a of spec.auditAnnotations ?? []) {
    const v = evaluate(a.valueExpression, `auditAnnotations.${a.key}`);
    // As kube-apiserver does: a null or empty string omits the annotation.
    if (typeof v === 'string' && v !== '') out.auditAnnotations[`${policy.metadata.name}/${a.key}`] = v;
  }
  return out;
}
