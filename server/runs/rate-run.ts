// `ratebook rate` and the billing command's rating: a rating run (rating-run.ts) awaited to its
// end. The server starts the same run with startRating to watch its progress and cancel it.

import type { RateOptions, RateResult } from './rate-options.js';
import { startRating } from './rating-run.js';

export type { FileSummary, RateOptions, RateProgress, RateResult, RateSummary } from './rate-options.js';
export { InputError, RunCancelled } from './run-errors.js';
export { startRating, type RatingRun } from './rating-run.js';

export const rateFiles = (opts: RateOptions): Promise<RateResult> => startRating(opts).done;
