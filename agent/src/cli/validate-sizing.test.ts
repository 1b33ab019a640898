/** `validate` warns when the targets need more V8 heap than the pod gives (issue 24, defect 13). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main';

function configWith(targets: number): string {
  const file = join(mkdtempSync(join(tmpdir(), 'wedsync-sizing-')), 'agent.yaml');
  const lines = Array.from(
    { length: targets },
    (_, i) => `  - { id: t${i}, kubernetes: { namespace: n, name: t${i} }, load: { source: sim, query: q${i} }, capacityPerPod: 10, maxReplicas: 5 }`,
  );
  writeFileSync(file, ['sources: { sim: { type: simulator } }', 'targets:', ...lines].join('\n'));
  return file;
}

async function validate(file: string, heapMib: number) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'wedsync-agent', 'validate', '--config', file, '--heap-mib', String(heapMib)], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out, err };
}

describe('validate: sizing', () => {
  test('100 targets in the default pod (96 MiB of old generation): a warning naming the figure; still ok', async () => {
    const file = configWith(100);
    const r = await validate(file, 96);
    expect(r.code).toBe(0);
    expect(r.err).toEqual([
      expect.stringMatching(new RegExp(`^${file}: targets: warning: 100 targets need about \\d+ MiB of V8 heap .* more than the 96 MiB`)),
    ]);
    expect(r.out).toEqual([`${file}: ok (100 target(s), mode dry-run)`]);
  });

  test('20 targets in the same heap: no warning', async () => {
    const r = await validate(configWith(20), 96);
    expect([r.code, r.err]).toEqual([0, []]);
  });
});
