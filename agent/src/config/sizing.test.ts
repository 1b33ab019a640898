import { heapNeededMiB, sizingWarning } from './sizing';

describe('sizing warning', () => {
  test.each([
    [20, 96, false],
    [100, 96, true],
    [100, 512, false],
  ])('%i targets in a %i MiB heap: warns %s', (targets, heap, warns) => {
    const w = sizingWarning(targets, heap);
    expect(w !== null).toBe(warns);
    if (w) expect(w.message).toContain(`${heapNeededMiB(targets)} MiB of V8 heap`);
  });
});
