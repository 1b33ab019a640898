/**
 * Memory sizing (issue 24, defect 13): what the agent's V8 heap needs for its targets, measured by
 * `npm run bench:per-target` with the pod's own Node flags (BENCHMARKS.md "Memory per target"). Each
 * target holds seven weeks of history at its tick and a 48 h forecast; the base is the agent without
 * targets (modules, the calendar, the API). A warning, not an error: the figures are measured on the
 * demo's simulator load and calendar, and a config may be validated away from the pod.
 */
export const HEAP_BASE_MIB = 25;
export const HEAP_PER_TARGET_MIB = 1;
/** Headroom the garbage collector needs above the live heap before it thrashes. */
const GC_HEADROOM = 1.25;

export function heapNeededMiB(targets: number): number {
  return Math.ceil((HEAP_BASE_MIB + targets * HEAP_PER_TARGET_MIB) * GC_HEADROOM);
}

/** A warning when `targets` need more heap than `heapLimitMiB` (V8's old generation limit) allows. */
export function sizingWarning(targets: number, heapLimitMiB: number): { path: string; message: string } | null {
  const need = heapNeededMiB(targets);
  if (need <= heapLimitMiB) return null;
  return {
    path: 'targets',
    message: `${targets} targets need about ${need} MiB of V8 heap (${HEAP_BASE_MIB} MiB + ${HEAP_PER_TARGET_MIB} MiB per target, +25 % for the collector; BENCHMARKS.md "Memory per target"), more than the ${heapLimitMiB} MiB this heap allows: raise the pod's memory limit (Node gives half of it to the heap) or --max-old-space-size, or split the targets between agents`,
  };
}
