/** The contract every command file implements: main.ts registers them; none imports main.ts back. */
import type { Command } from 'commander';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** A command's action sets this; main() returns it. */
export interface ExitCode {
  code: number;
}

export type Register = (program: Command, io: CliIo, exit: ExitCode) => void;
