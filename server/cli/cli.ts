// `ratebook` — the command line of SPEC §6. Thin: parse arguments, call the shell and the core,
// print, exit 0 (success; exceptions are results), 1 (an input cannot be used) or 2 (usage).
// The usage and the help are made from each command's `help` (cli-commands.ts): a new command
// brings its own line.

import { parseArgs } from 'node:util';
import { commands, UsageError, type Command } from './cli-commands.js';

const commandOf = (name: string | undefined): Command | undefined => (name !== undefined && Object.hasOwn(commands, name) ? commands[name] : undefined);

/** One line per command: what a wrong command line prints on stderr. */
export const USAGE = `usage:\n${Object.values(commands)
  .map((c) => `  ratebook ${c.help.usage}`)
  .join('\n')}`;

const EXIT_CODES = 'exit status: 0 done (exceptions are results), 1 an input cannot be used, 2 a wrong command line';

/** Two columns, the first as wide as its widest entry. */
function columns(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}`).join('\n');
}

/** `ratebook --help`: the usage, then what each command does. */
export function helpText(): string {
  const rows: [string, string][] = Object.entries(commands).map(([name, c]) => [name, c.help.summary]);
  rows.push(['help', "this help; `ratebook COMMAND --help` (or `ratebook help COMMAND`) for a command's options"]);
  return `${USAGE}\n\ncommands:\n${columns(rows)}\n\n${EXIT_CODES}`;
}

/** `ratebook COMMAND --help`: its usage line, what it does and its options. */
export function commandHelpText(command: Command): string {
  const { usage, summary, options } = command.help;
  const parts = [`usage: ratebook ${usage}`, summary];
  if (options && options.length > 0) parts.push(`options:\n${columns(options)}`);
  return parts.join('\n\n');
}

const isHelpFlag = (arg: string): boolean => arg === '--help' || arg === '-h';

/** A `--help` or `-h` among a command's arguments (before a `--`, after which all are positionals). */
function asksForHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some(isHelpFlag);
}

const print = (s: string): void => void process.stdout.write(`${s}\n`);

export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === 'help' || (verb !== undefined && isHelpFlag(verb))) {
    // `ratebook help COMMAND` is `ratebook COMMAND --help`; `--help` and `-h` first print it all.
    const topic = verb === 'help' ? rest.find((a) => !isHelpFlag(a)) : undefined;
    if (topic === undefined) {
      print(helpText());
      return 0;
    }
    const about = commandOf(topic);
    if (!about) {
      process.stderr.write(`unknown command "${topic}"\n${USAGE}\n`);
      return 2;
    }
    print(commandHelpText(about));
    return 0;
  }
  const command = commandOf(verb);
  if (!command) {
    process.stderr.write(`${verb ? `unknown command "${verb}"\n` : ''}${USAGE}\n`);
    return 2;
  }
  if (asksForHelp(rest)) {
    print(commandHelpText(command));
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  try {
    return await command.run(parsed.values as Record<string, unknown>, parsed.positionals);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`ratebook: ${(e as Error).message}\n`);
    return 1;
  }
}
