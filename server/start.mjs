// `npm start`: the main job on the bundled sample — validate the workbook, rate its October 2026
// calls and bill October into ./out/.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { main } = await import(pathToFileURL(join(root, '.build', 'cli.mjs')).href);
const workbook = join(root, 'workbooks', 'sample-uk-reseller.xlsx');
const calls = join(root, 'workbooks', 'sample-calls.csv');
const steps = [
  ['validate', workbook],
  ['rate', '--workbook', workbook, '--cdrs', calls, '--out', 'out/rate'],
  ['bill', '--workbook', workbook, '--cdrs', calls, '--period', '2026-10', '--out', 'out/bill'],
];
for (const args of steps) {
  process.stdout.write(`\n$ ratebook ${args.map((a) => a.replace(root + '/', '')).join(' ')}\n`);
  const code = await main(args);
  if (code !== 0) {
    process.exitCode = code;
    break;
  }
}
