/**
 * Where the CLI-driven benchmarks find things. They compile to agent/.tmp/bench-NAME/bench/, so the
 * agent folder is three levels up; the shared traces sit beside the repository (../shared), as CI lays them.
 */
import { join, resolve } from 'node:path';

export const AGENT_DIR = resolve(__dirname, '..', '..', '..');
export const BUILT_CLI = join(__dirname, '..', 'src', 'cli', 'main.js');
export const SHARED_TRACES = process.env.WEDSYNC_TRACES ?? resolve(AGENT_DIR, '..', '..', 'shared', 'data', 'traces');
export const BENCHMARKS_MD = resolve(AGENT_DIR, '..', 'BENCHMARKS.md');
