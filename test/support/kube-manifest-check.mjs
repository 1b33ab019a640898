// Checks Kubernetes manifests against Kubernetes' own schemas, offline, in plain Node (both libraries are
// ESM-only, so this runs as a child process of the Jest test):
//  - kubernetes-models 4.x: validators generated from the Kubernetes OpenAPI spec (types, required fields,
//    enums, formats) — but it accepts unknown fields, so
//  - @kubernetes/client-node's generated models (attributeTypeMap per type, also from the OpenAPI spec)
//    are walked to reject any field the API does not define (as the server's strict field validation does);
//  - @kubernetes-models/prometheus-operator: validators generated from the Prometheus Operator CRDs'
//    schemas (ServiceMonitor, PrometheusRule, …), for monitoring.coreos.com objects.
// Usage: node kube-manifest-check.mjs FILE... → JSON [{ file, apiVersion, kind, name, errors: [] }] on stdout.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseAllDocuments } from 'yaml';

// kubernetes-models is the agent workspace's devDependency (npm may keep it under agent/node_modules).
const agentRequire = createRequire(new URL('../../agent/package.json', import.meta.url));

const k8s = await import('@kubernetes/client-node');

const CRD_GROUP = 'monitoring.coreos.com';
const groupOf = (obj) => (obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '');

async function openApiErrors(obj) {
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
  const path =
    group === CRD_GROUP
      ? `@kubernetes-models/prometheus-operator/${group}/${version}/${obj.kind}`
      : `kubernetes-models/${group ? group + '/' : ''}${version}/${obj.kind}`;
  let mod;
  try {
    mod = group === CRD_GROUP ? await import(path) : agentRequire(path);
  } catch {
    return [`no schema for ${obj.apiVersion} ${obj.kind} (${path})`];
  }
  const Model = mod[obj.kind] ?? mod.default;
  try {
    new Model(obj).validate();
    return [];
  } catch (err) {
    return (err.errors ?? [{ instancePath: '', message: err.message }]).map(
      (e) => `${e.instancePath || '/'} ${e.message}${e.params?.allowedValues ? ' ' + JSON.stringify(e.params.allowedValues) : ''}`,
    );
  }
}

const PRIMITIVE = new Set(['string', 'number', 'boolean', 'any', 'object', 'Date', 'V1MicroTime', 'IntOrString']);

function unknownFields(value, type, at, out) {
  if (value === null || value === undefined) return;
  const arr = /^Array<(.+)>$/.exec(type);
  if (arr) {
    if (!Array.isArray(value)) return out.push(`${at} must be a list`);
    value.forEach((v, i) => unknownFields(v, arr[1], `${at}/${i}`, out));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    for (const [k, v] of Object.entries(value)) unknownFields(v, map[1], `${at}/${k}`, out);
    return;
  }
  if (PRIMITIVE.has(type) || !k8s[type]?.getAttributeTypeMap) return;
  if (typeof value !== 'object' || Array.isArray(value)) return out.push(`${at} must be an object (${type})`);
  const attrs = new Map(k8s[type].getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [k, v] of Object.entries(value)) {
    if (!attrs.has(k)) out.push(`${at}/${k} is not a field of ${type}`);
    else unknownFields(v, attrs.get(k), `${at}/${k}`, out);
  }
}

const results = [];
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    if (doc.errors.length) {
      results.push({ file, errors: doc.errors.map((e) => e.message) });
      continue;
    }
    const obj = doc.toJS();
    if (!obj) continue;
    const errors = [];
    if (!obj.apiVersion || !obj.kind) errors.push('apiVersion and kind are required');
    else {
      errors.push(...(await openApiErrors(obj)));
      // The CRD validators are the only schema for those kinds: client-node has no models for them.
      if (groupOf(obj) === CRD_GROUP) {
        results.push({ file, apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata?.name, errors });
        continue;
      }
      const type = `${obj.apiVersion.split('/').pop().replace(/^v/, 'V')}${obj.kind}`;
      if (!k8s[type]) errors.push(`no client model ${type}`);
      else unknownFields(obj, type, '', errors);
    }
    results.push({ file, apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata?.name, errors });
  }
}
process.stdout.write(JSON.stringify(results));
