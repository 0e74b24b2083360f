// `ratebook` — the command line of SPEC §6. Thin: parse arguments, call the shell and the core,
// print, exit 0 (success; exceptions are results), 1 (an input cannot be used) or 2 (usage).

import { parseArgs } from 'node:util';
import { commands, UsageError, type Command } from './cli-commands.js';

export const USAGE = `usage:
  ratebook validate WORKBOOK.xlsx
  ratebook diff OLD.xlsx NEW.xlsx
  ratebook import WORKBOOK.xlsx --data DIR [--publish]
  ratebook publish SEQ --data DIR
  ratebook rate --workbook W.xlsx --cdrs FILE [--cdrs FILE...] [--format NAME] --out DIR [--data DIR] [--workers N] [--tab-rows N]
  ratebook bill --workbook W.xlsx --cdrs FILE [...] --period YYYY-MM --out DIR [--data DIR] [--final] [--tab-rows N]`;

export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  const command: Command | undefined = verb ? commands[verb] : undefined;
  if (!command) {
    process.stderr.write(`${verb ? `unknown command "${verb}"\n` : ''}${USAGE}\n`);
    return 2;
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

