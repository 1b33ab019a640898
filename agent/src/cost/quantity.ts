/**
 * Kubernetes resource quantities ("500m", "1.5", "512Mi", "1G", "2e3") as numbers, and a pod template's
 * requests summed over its containers. Only what requests use; an unreadable quantity is undefined.
 */
import type { PodResources } from '../config/pricing-config';

const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

export function parseQuantity(q: string | number | undefined): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/.exec(q?.trim() ?? '');
  if (!m) return undefined;
  return Number(m[1]) * SUFFIX[m[2] ?? ''];
}

interface ContainerLike {
  resources?: { requests?: Record<string, string | number | undefined> };
}

/** Sum of the containers' cpu and memory requests; undefined unless every container states both. */
export function podRequests(containers: readonly ContainerLike[] | undefined): PodResources | undefined {
  if (!containers?.length) return undefined;
  let cpu = 0;
  let bytes = 0;
  for (const c of containers) {
    const cc = parseQuantity(c.resources?.requests?.cpu);
    const mm = parseQuantity(c.resources?.requests?.memory);
    // A container without requests makes the pod's price a guess: say unknown rather than undercount.
    if (cc === undefined || mm === undefined) return undefined;
    cpu += cc;
    bytes += mm;
  }
  return { cpu, memoryGiB: bytes / 2 ** 30 };
}
