// Bundles the TypeScript entry points into .build/ so the command line and the rating workers run
// as plain Node (no per-closure __name() cost of tsx in the hot loops).
import { build } from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entries = {
  cli: 'server/cli/cli.ts',
  'rate-worker': 'server/runs/rate-worker.ts',
  'bill-worker': 'server/bills/bill-worker.ts',
  'run-worker': 'server/runs/run-worker.ts',
  'import-worker': 'server/model/import-worker.ts',
  'model-worker': 'server/model/model-worker.ts',
  bench: 'server/bench/bench.ts',
};
const entryPoints = Object.fromEntries(
  Object.entries(entries).filter(([, f]) => existsSync(join(root, f))).map(([k, f]) => [k, join(root, f)]),
);
await build({
  entryPoints,
  outdir: join(root, '.build'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outExtension: { '.js': '.mjs' },
  sourcemap: true,
  logLevel: 'warning',
});
await import('../web-components/build.mjs').then((ui) => ui.buildUi()); // the review UI: .build/ui/
