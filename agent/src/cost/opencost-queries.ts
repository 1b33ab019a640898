/**
 * The PromQL that turns OpenCost's series into one target's price per replica-hour.
 *
 * OpenCost exports, per container, what the pod is allocated (`container_cpu_allocation` in vCPUs,
 * `container_memory_allocation_bytes`: the larger of request and usage), and per node what a vCPU-hour and
 * a GiB-hour cost there (`node_cpu_hourly_cost`, `node_ram_hourly_cost`; spot and reserved prices included
 * when OpenCost knows them). A workload's pods are matched by name, the way its controller names them
 * (Deployment: name-<replicaset hash>-<suffix>; StatefulSet: name-<ordinal>). The workload's hourly cost is
 * each node's allocation × that node's prices, summed; divided by the number of its pods, that is the price
 * of one replica-hour. An empty answer means OpenCost has no series for it: the caller falls back, never to 0.
 */
import type { WorkloadRef } from '../contracts/kube-api';

const GIB = 1073741824;

/** A regular expression matching the pods of a workload, escaped for a PromQL string literal. */
export function podNamePattern(ref: Pick<WorkloadRef, 'kind' | 'name'>): string {
  const name = ref.name.replace(/[.\\+*?^$()[\]{}|-]/g, (c) => (c === '-' ? '-' : `\\\\${c}`));
  return ref.kind === 'StatefulSet' ? `${name}-[0-9]+` : `${name}-[a-z0-9]+-[a-z0-9]+`;
}

function str(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** Price of one replica-hour of the workload, in OpenCost's currency (one number, or an empty vector). */
export function replicaHourPriceQuery(ref: WorkloadRef): string {
  const sel = `namespace="${str(ref.namespace)}",pod=~"${podNamePattern(ref)}",container!="",container!="POD"`;
  return [
    '(',
    `  sum(sum by (node) (container_cpu_allocation{${sel}}) * on (node) avg by (node) (node_cpu_hourly_cost))`,
    '  +',
    `  sum(sum by (node) (container_memory_allocation_bytes{${sel}}) / ${GIB} * on (node) avg by (node) (node_ram_hourly_cost))`,
    ')',
    '/',
    `count(count by (pod) (container_cpu_allocation{${sel}}))`,
  ].join('\n');
}
