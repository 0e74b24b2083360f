// Rating one call against the model: owner (steps 3–4), then price (steps 6–10). Dedupe and fraud
// are run-level steps (dedupe.ts, fraud.ts) that the run applies around this.

import type { Cdr } from './cdr.js';
import { findOwner, type Owner, type OwnerMiss } from './owner.js';
import { priceCall, type Priced } from './price.js';
import type { RatingModel } from './rating-model.js';
import { utcToLocalMs } from './zone.js';

export function ownerOf(model: RatingModel, cdr: Cdr): Owner | OwnerMiss {
  return findOwner(model, cdr, utcToLocalMs(model.zone, cdr.startMs));
}

export function rateCall(model: RatingModel, cdr: Cdr): Priced | OwnerMiss {
  const owner = ownerOf(model, cdr);
  return owner.kind === 'owner' ? priceCall(model, cdr, owner) : owner;
}
