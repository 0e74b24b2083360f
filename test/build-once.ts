// Tests that start `ratebook` as a child process run the bundle in .build/: build it once before
// the suite, so they never run a bundle older than the sources.

import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['server/build.mjs'], { stdio: 'inherit' });
}
