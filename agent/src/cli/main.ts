/**
 * wedsync-agent: one file per command, registered here. Commands return an exit code instead of calling
 * process.exit, so tests can run them in-process.
 */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version';
import type { CliIo, ExitCode, Register } from './command';
export type { CliIo, ExitCode, Register };

/*
 * Each command's module, loaded only when it can be needed: `wedsync-agent replay …` loads replay's code
 * alone, not the API routes, Express and the sink clients the other commands bring (~0.15 s of a replay).
 * Help, completion and anything not a command name load them all.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- lazy loading (above); each typed by its module */
const COMMANDS: Array<[name: string, load: () => Register]> = [
  ['run', () => (require('./run') as typeof import('./run')).registerRun],
  ['demo', () => (require('./demo') as typeof import('./demo')).registerDemo],
  ['validate', () => (require('./validate') as typeof import('./validate')).registerValidate],
  ['calendar', () => (require('./calendar') as typeof import('./calendar')).registerCalendar],
  ['replay', () => (require('./replay') as typeof import('./replay')).registerReplay],
  ['backtest', () => (require('./backtest') as typeof import('./backtest')).registerBacktest],
  ['capacity-plan', () => (require('./capacity-plan') as typeof import('./capacity-plan')).registerCapacityPlan],
  ['detect', () => (require('./detect') as typeof import('./detect')).registerDetect],
  ['forecast', () => (require('./forecast') as typeof import('./forecast')).registerForecast],
  ['freeze-check', () => (require('./freeze-check') as typeof import('./freeze-check')).registerFreezeCheck],
  ['status', () => (require('./status') as typeof import('./status')).registerStatus],
  ['override', () => (require('./override') as typeof import('./override')).registerOverride],
  ['completion', () => (require('./completion') as typeof import('./completion')).registerCompletion],
  ['tune', () => (require('./tune') as typeof import('./tune')).registerTune],
];
/* eslint-enable @typescript-eslint/no-require-imports */

/** The commands `argv` can run: the one it names, or every one (help, completion, no or an unknown name). */
function commandsFor(argv: string[]): Register[] {
  const named = COMMANDS.find(([name]) => name === argv[2] && name !== 'completion');
  return (named ? [named] : COMMANDS).map(([, load]) => load());
}

export async function main(
  argv: string[],
  io: CliIo = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') },
): Promise<number> {
  const exit: ExitCode = { code: 0 };
  const program = new Command('wedsync-agent')
    .description('Wedding-aware autoscaling agent for Kubernetes')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  for (const register of commandsFor(argv)) register(program, io, exit);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    io.err(`error: ${(err as Error).message}`);
    return 1;
  }
  return exit.code;
}

/** `wedsync-agent detect … | head` closes the pipe early: that is the reader's choice, not an error. */
function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

if (require.main === module) {
  exitQuietlyOnClosedPipe(process.stdout);
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
