// What a `ratebook` verb is: its help, its options for node:util parseArgs, and what it runs.

import type { ParseArgsConfig } from 'node:util';

/** A wrong command line: the usage is printed and the exit code is 2. */
export class UsageError extends Error {}

/** What `ratebook --help` and `ratebook COMMAND --help` say about a command. */
export interface CommandHelp {
  /** The command line after `ratebook`, as the usage shows it. */
  usage: string;
  /** What the command does, in one line. */
  summary: string;
  /** Each option as written (`--data DIR`) and what it is for, in the order of the usage. */
  options?: [string, string][];
}

export interface Command {
  help: CommandHelp;
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: Record<string, unknown>, positionals: string[]): Promise<number>;
}
