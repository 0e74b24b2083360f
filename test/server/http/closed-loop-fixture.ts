// Route tests of the closed loop: the sample workbook published as version 1, the sample calls
// rated as a run with it, and version 2 — the sample with two fixes a billing team would make
// after reading the run's exceptions: IVY09 given a tariff (its NO_TARIFF calls) and 020 7946 1234
// added to Numbers (an UNKNOWN_NUMBER call) — imported as a draft.

import { closedLoopRoutes } from '../../../server/http/routes/closed-loop.js';
import { runRoutes } from '../../../server/http/routes/runs.js';
import { loadWorkbookBytes } from '../../../server/model/workbook-file.js';
import type { Store } from '../../../server/store/store.js';
import { apiFixture, type ApiFixture } from './api-fixture.js';
import { importSample, sampleSlice, settled, startRun } from './runs-fixture.js';
import { editedSample, fixSample } from './workbook-edits.js';
import type ExcelJS from 'exceljs';

export interface ClosedLoopFixture extends ApiFixture {
  /** The whole sample, rated with version 1. */
  run: number;
  /** The draft with the fixes. */
  v2: number;
}


/** Imports an edited sample into the store as a draft: its seq. */
export async function importEdited(store: Store, edit: (wb: ExcelJS.Workbook) => void, name = 'sample-v2.xlsx'): Promise<number> {
  const loaded = await loadWorkbookBytes(await editedSample(edit), name);
  if (!loaded.ok) throw new Error(loaded.error);
  const wb = loaded.value;
  const { version } = await store.importVersion({ fileBytes: wb.bytes, fileName: wb.fileName, fileSha256: wb.fileSha256, rows: wb.rows, contentHash: wb.hash, issues: wb.issues, importer: 'test', source: wb.fileName });
  return version.seq;
}

export async function closedLoopFixture(): Promise<ClosedLoopFixture> {
  const f = await apiFixture({ routers: [runRoutes, closedLoopRoutes] });
  await importSample(f.ctx.store);
  const run = await startRun(f, [{ name: 'sample-calls.csv', content: await sampleSlice(0, 3235) }]);
  const done = await settled(f, run);
  if (done.status !== 'done') throw new Error(`the sample run ${done.status}: ${done.error}`);
  const v2 = await importEdited(f.ctx.store, fixSample);
  return { ...f, run, v2 };
}
