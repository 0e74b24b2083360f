#!/usr/bin/env node
// `npx ratebook ...`: runs the bundled command line, building it first when it is missing.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, '.build', 'cli.mjs');
if (!existsSync(cli)) await import('./build.mjs');
const { main } = await import(pathToFileURL(cli).href);
process.exitCode = await main(process.argv.slice(2));
