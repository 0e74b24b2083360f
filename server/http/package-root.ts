// The folder of Ratebook's package.json, from the sources (server/http/) and the bundle (.build/) alike.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'ratebook') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the ratebook package folder');
    dir = up;
  }
}
