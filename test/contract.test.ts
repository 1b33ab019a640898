/** The panel's copy of the API shapes still fits the agent's contract (compiled with the real tsc). */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

describe('panel ↔ agent API contract', () => {
  it('type-checks: agent responses fit the panel types, panel requests fit the agent', () => {
    const tsc = require.resolve('typescript/bin/tsc');
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'test', 'contract', 'tsconfig.json')], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      output = `${(err as { stdout?: string }).stdout ?? ''}${(err as { stderr?: string }).stderr ?? ''}`;
    }
    expect(output).toBe('');
  });
});
