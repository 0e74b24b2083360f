#!/usr/bin/env node
// `npx ratebook ...`: runs the bundled command line, building it first when it is missing.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, '.build', 'cli.mjs'))) await import('./build.mjs');
await import(join(root, '.build', 'cli.mjs'));
