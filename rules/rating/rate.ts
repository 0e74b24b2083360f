// Rating one call against the model: owner (SPEC §2 steps 3–4), then price (steps 6–10). Dedupe
// (step 2) and fraud (step 5) need the whole run and are applied around this by the run.

import type { Cdr } from '../cdr/cdr.js';
import { findOwner, type OwnerMiss } from './owner.js';
import { priceCall, type Priced } from './price.js';
import type { RatingModel } from './rating-model.js';

export type Rated = Priced | OwnerMiss;

export function rateCall(model: RatingModel, cdr: Cdr): Rated {
  const owner = findOwner(model, cdr);
  return owner.kind === 'owner' ? priceCall(model, cdr, owner) : owner;
}
