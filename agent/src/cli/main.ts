/**
 * wedsync-agent: one file per command, registered here. Commands return an exit code instead of calling
 * process.exit, so tests can run them in-process.
 */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version';
import type { CliIo, ExitCode, Register } from './command';
import { registerRun } from './run';
import { registerDemo } from './demo';
import { registerValidate } from './validate';
import { registerCalendar } from './calendar';
import { registerDetect } from './detect';
import { registerForecast } from './forecast';
import { registerReplay } from './replay';
import { registerBacktest } from './backtest';
import { registerCapacityPlan } from './capacity-plan';
import { registerFreezeCheck } from './freeze-check';
import { registerStatus } from './status';
import { registerOverride } from './override';
import { registerCompletion } from './completion';
import { registerTune } from './tune';

export type { CliIo, ExitCode, Register };

const COMMANDS: Register[] = [registerRun, registerDemo, registerValidate, registerCalendar, registerReplay, registerBacktest, registerCapacityPlan, registerDetect, registerForecast, registerFreezeCheck, registerStatus, registerOverride, registerCompletion, registerTune];

export async function main(argv: string[], io: CliIo = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') }): Promise<number> {
  const exit: ExitCode = { code: 0 };
  const program = new Command('wedsync-agent')
    .description('Wedding-aware autoscaling agent for Kubernetes')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  for (const register of COMMANDS) register(program, io, exit);
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
