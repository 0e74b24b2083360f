// A call after mediation, and what rating makes of it: the types that flow from the CDR readers
// through rating into billing and the writers.

import type { Micro } from '../money.js';
import type { CallClass } from '../workbook/rows.js';

export const EXCEPTION_REASONS = [
  'INVALID_RECORD',
  'DUPLICATE',
  'UNKNOWN_NUMBER',
  'NUMBER_INACTIVE',
  'SUSPECTED_FRAUD',
  'UNKNOWN_DESTINATION',
  'NO_TARIFF',
  'NO_RATE',
] as const;
export type ExceptionReason = (typeof EXCEPTION_REASONS)[number];

export type CallDirection = 'out' | 'in';

/** One CDR line after mediation (SPEC §2 "CDR fields after mediation"). */
export interface Cdr {
  kind: 'cdr';
  file: string;
  line: number;
  /** '' when the format carries none. */
  id: string;
  /** The start instant, ms since the epoch. */
  startMs: number;
  /** Whole seconds >= 0 as billed by the switch. */
  duration: number;
  /** False when the disposition is not billable: the call then rates with d = 0. */
  answered: boolean;
  /** As given, trimmed (an inbound caller may be blank or withheld). */
  caller: string;
  called: string;
  /** N(caller), N(called); null when not a phone number. */
  callerN: string | null;
  calledN: string | null;
  /** The called number is a short code (SPEC §2): matched only against ServiceNumbers prefixes. */
  calledShort: boolean;
  extension: string;
  direction: CallDirection;
  /** Carrier cost; null when blank. */
  cost: Micro | null;
  /** A notice from mediation, e.g. an ambiguous local time at the autumn clock change. */
  notice?: string;
}

export type PriceMethod = 'rate' | 'markup' | 'fallback';

/** A rated call: the columns of rated.csv (SPEC §6) in typed form. */
export interface RatedCall {
  file: string;
  line: number;
  id: string;
  startMs: number;
  direction: CallDirection;
  caller: string;
  called: string;
  extension: string;
  account: string;
  /** The owning number (within a range the matched one; for an alternate, the row's Number). */
  number: string;
  site: string;
  destination: string;
  callClass: CallClass;
  band: string;
  tariff: string;
  duration: number;
  billedSeconds: number;
  /** Rounded to the tariff's ChargeDecimals. */
  charge: Micro;
  chargeDecimals: number;
  cost: Micro | null;
  method: PriceMethod;
}

/** A line that did not rate: the columns of exceptions.csv. */
export interface CallException {
  file: string;
  line: number;
  id: string;
  /** null when the start could not be read. */
  startMs: number | null;
  /** As given in the file. */
  caller: string;
  called: string;
  /** Normalised, when mediation got that far (the summary counts numbers by these). */
  callerN?: string | null;
  calledN?: string | null;
  /** null when unreadable. */
  duration: number | null;
  cost: Micro | null;
  reason: ExceptionReason;
  /** What to change and where (`add 442079461234 to Numbers`). */
  detail: string;
}
