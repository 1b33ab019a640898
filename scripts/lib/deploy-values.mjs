// Values and objects as the deploy generator and its test compare them.
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Helm's merge of values files: maps merge, everything else (lists too) is replaced. */
export function deepMerge(a, b) {
  if (!isObject(a) || !isObject(b)) return structuredClone(b);
  const out = structuredClone(a);
  for (const [k, v] of Object.entries(b)) out[k] = k in out ? deepMerge(out[k], v) : structuredClone(v);
  return out;
}

/** Whether `values` sets everything `subset` sets, to the same values. */
export function includes(values, subset) {
  if (!isObject(subset)) return JSON.stringify(values) === JSON.stringify(subset);
  return isObject(values) && Object.entries(subset).every(([k, v]) => k in values && includes(values[k], v));
}

/** An object as kustomize ships it: Helm's own labels (helm.sh/chart, managed-by Helm) replaced by managed-by kustomize. */
export function kustomizeView(object) {
  const o = structuredClone(object);
  const relabel = (labels) => {
    if (!labels) return;
    delete labels['helm.sh/chart'];
    if (labels['app.kubernetes.io/managed-by']) labels['app.kubernetes.io/managed-by'] = 'kustomize';
  };
  relabel(o.metadata?.labels);
  relabel(o.spec?.template?.metadata?.labels);
  return o;
}

/**
 * A strategic-merge patch turning `before` into `after`, or null when they are equal: changed map keys
 * (recursively), removed keys as null, lists whole (the chart's lists are small; kustomize replaces a
 * list without a merge key and merges `containers` by name, where the whole list is the same result).
 */
export function strategicMergePatch(before, after) {
  const diff = (a, b) => {
    if (isObject(a) && isObject(b)) {
      const out = {};
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (!(k in b)) out[k] = null;
        else if (!(k in a)) out[k] = b[k];
        else {
          const d = diff(a[k], b[k]);
          if (d !== undefined) out[k] = d;
        }
      }
      return Object.keys(out).length ? out : undefined;
    }
    return JSON.stringify(a) === JSON.stringify(b) ? undefined : b;
  };
  const d = diff(before, after);
  if (d === undefined) return null;
  const { apiVersion, kind, metadata } = after;
  const { metadata: changedMetadata, ...rest } = d;
  return {
    apiVersion,
    kind,
    metadata: { name: metadata.name, ...(metadata.namespace ? { namespace: metadata.namespace } : {}), ...(changedMetadata ?? {}) },
    ...rest,
  };
}
