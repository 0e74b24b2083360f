// Regenerates the committed workbooks: template.xlsx, sample-uk-reseller.xlsx, sample-calls.csv.
// Run: npx tsx workbooks/generate.ts  (deterministic: running it twice changes no byte).

import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWorkbook, templateContent } from './workbook-template.js';
import { SAMPLE_SETTINGS, SAMPLE_TABS } from './sample-data.js';
import { generateSampleCalls } from './sample-calls.js';

const here = dirname(fileURLToPath(import.meta.url));

export const sampleWorkbookBytes = (): Promise<Buffer> => buildWorkbook({ settings: SAMPLE_SETTINGS, tabs: SAMPLE_TABS });
export const templateWorkbookBytes = (): Promise<Buffer> => buildWorkbook(templateContent());

async function main(): Promise<void> {
  await writeFile(join(here, 'template.xlsx'), await templateWorkbookBytes());
  await writeFile(join(here, 'sample-uk-reseller.xlsx'), await sampleWorkbookBytes());
  await writeFile(join(here, 'sample-calls.csv'), generateSampleCalls());
  process.stdout.write('wrote workbooks/template.xlsx, workbooks/sample-uk-reseller.xlsx, workbooks/sample-calls.csv\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
