// The shapes of the review screens' API answers (SPEC §7: exceptions, re-rate, release, what-if,
// bills, search, a number's page), as the UI reads them. Money is a decimal string throughout.

/** A row of GET /api/runs/:id/exceptions/summary: the Summary tab of exceptions.xlsx. */
export interface ReasonRow {
  reason: string;
  count: number;
  seconds: number;
  /** Carrier cost, a decimal string. */
  cost: string;
  /** What usually fixes it, in words. */
  fix: string;
}

export interface ReasonSummary {
  reasons: ReasonRow[];
}

/** POST /api/runs/:id/rerate. */
export interface Rerated {
  moved: number;
  byReason: Record<string, number>;
  remaining: number;
  /** The moved calls' charges (a decimal string), when the server says. */
  charge?: string;
}

/** POST /api/runs/:id/release. */
export interface Released {
  moved: number;
  remaining: number;
  held?: number;
  /** Released calls that failed another step, by its reason. */
  failed?: Record<string, number>;
  charge?: string;
}

export type ReleaseChoice = { all: true } | { lines: { file: string; line: number }[] };

export interface WhatIfTotals {
  input: number;
  rated: number;
  exceptions: number;
  byReason: Record<string, number>;
  charge: string;
  cost: string;
}

/** One group of a what-if: charges before and after, and the change the server worked out. */
export interface GroupChange {
  before: string;
  after: string;
  change: string;
  callsBefore: number;
  callsAfter: number;
}

/** POST /api/runs/:id/whatif. */
export interface WhatIf {
  run: number;
  runVersion: number;
  version: number;
  before: WhatIfTotals;
  after: WhatIfTotals;
  byCustomer: (GroupChange & { account: string })[];
  byClass: (GroupChange & { class: string })[];
  byDestination: (GroupChange & { destination: string })[];
}

export interface BillInvoice {
  invoice: string;
  account: string;
  net: string;
  tax: string;
  total: string;
}

export type BillStatus = 'draft' | 'final' | 'billing' | 'failed';

/** GET /api/bills/:period, and each of GET /api/bills. */
export interface Bill {
  period: string;
  status: BillStatus;
  invoices: BillInvoice[];
  net: string;
  tax: string;
  total: string;
  currency: string;
  createdBy: string;
  createdAt: string;
  version?: number;
  runs?: number[];
  /** The names GET /api/bills/:period/files/:name serves. */
  files: string[];
  waitingCalls?: number;
  duplicates?: number;
  error?: string;
  /** The last attempt, while it is billing or when it failed. */
  attempt?: { status: 'billing' | 'failed'; final: boolean; createdBy: string; createdAt: string; error?: string };
}

export interface BillList {
  bills: Bill[];
}

/** GET /api/search?q=. */
export interface SearchCustomer {
  account: string;
  name: string;
  company: string;
  status: string;
  numberRows: number;
}

export interface SearchNumber {
  account: string;
  name: string;
  company: string;
  number: string;
  rangeEnd: string;
  extension: string;
  site: string;
  status: string;
  row: number;
  matched?: string;
}

export interface SearchAnswer {
  version: number;
  customers: SearchCustomer[];
  numbers: SearchNumber[];
  more: boolean;
}

export type TextRow = Record<string, string | number | null>;

/** GET /api/numbers: a grid page with the columns it has. */
export interface NumbersPage {
  version: number;
  columns: string[];
  total: number;
  rows: TextRow[];
}

export interface TariffInForce {
  callClass: string;
  tariff: string | null;
  markup: string | null;
  fallbackMarkup: string | null;
  chargeDecimals: number;
  rounding: string;
}

/** GET /api/numbers/:number. */
export interface NumberPage {
  version: number;
  number: string;
  rows: {
    match: 'number' | 'alt' | 'range';
    number: TextRow;
    customer: TextRow | null;
    tariffs: TariffInForce[];
    assignments: TextRow[];
  }[];
}
