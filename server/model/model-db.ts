// The workbook model in sql.js: one table per tab (for queries, reports and the UI's grids) and
// search tables that find Numbers rows by customer name, account, company or ANY digits of a
// number — a number inside a range included — without expanding ranges.
//
// Tab tables: named as the tab in lower case (`rates`, `tariffassignments`); columns are the
// SheetRows fields (quoted: TimeBands has From and To) after `row` (the sheet row), and `extra`
// (unknown columns as JSON, or NULL) last. Types:
//   amount, percent, decimal -> INTEGER `<field>_micro` — exact micro-units (money) or
//                               micro-percent (20% = 20000000); SUM() stays exact, format on the way out
//   int -> INTEGER;  bool -> INTEGER 0/1;  date -> TEXT YYYY-MM-DD (sorts as dates)
//   time -> TEXT HH:MM (24:00 = end of day);  days -> TEXT as written (`Mon-Fri,Hol`) plus `holiday` 0/1
//   phones -> TEXT comma-joined;  everything else TEXT
// `settings` holds Key/Value rows with the effective values (defaults filled in).
//
// Search (searchNumbers) uses the `numbers` table itself (rowid = the row's position + 1) and:
//   search_accounts  one row per account (Customers, plus any account only Numbers names) with a
//                    case-folded account/name/company text: a short scan, then numbers by index.
//   number_grams     an inverted index: every 4-digit substring of a Number or AltCdrNumber -> the
//                    ascending rowids that hold it (a BLOB of uint32). A query of 4+ digits takes
//                    the shortest lists (fetching long ones only while they still narrow things
//                    down) and checks the candidates exactly; shorter queries scan `numbers` in row
//                    order and stop at the limit (short digits match a lot).
//   number_ranges    one row per valid range: start, end, the common prefix P of start and end
//                    (stored reversed) and the length t of the varying tail. A member of the range
//                    holds q when q is inside P (then `start` holds it: found as above), when q
//                    starts within P and runs into the tail (P ends with a head of q and t covers
//                    the rest: an index range on reversed P), or when q fits in the tail (t >= |q|).
//                    Those candidates are checked exactly by memberContaining, which also names the
//                    smallest matching member — a range is never expanded.

import initSqlJs, { type Database, type SqlValue, type Statement } from 'sql.js';
import { TAB_COLUMNS, TAB_KEYS, type ColumnSpec, type TabKey } from '../../rules/workbook/columns.js';
import { cellText, settingsRows } from '../../rules/workbook/diff.js';
import { normalisePhone, type NumberPlan } from '../../rules/phone.js';
import { TAB_NAMES, type SheetRows } from '../../rules/workbook/rows.js';

export interface ModelDb {
  db: Database;
  /** To read a number typed in national form (`0161 …`) the way Numbers holds it. */
  plan: NumberPlan;
  close(): void;
}

export const tableName = (tab: TabKey): string => TAB_NAMES[tab].toLowerCase();

const MICRO_TYPES = new Set(['amount', 'percent', 'decimal']);
const INT_TYPES = new Set(['int', 'bool']);

/** The SQL column a workbook column becomes. */
export const columnName = (col: ColumnSpec): string => (MICRO_TYPES.has(col.type) ? `${col.field}_micro` : col.field);

const columnType = (col: ColumnSpec): string => (MICRO_TYPES.has(col.type) || INT_TYPES.has(col.type) ? 'INTEGER' : 'TEXT');

function columnValue(col: ColumnSpec, row: Record<string, unknown>): SqlValue {
  const v = row[col.field];
  if (v === null || v === undefined) return null;
  if (MICRO_TYPES.has(col.type) || col.type === 'int') return v as number;
  if (col.type === 'bool') return v ? 1 : 0;
  return cellText(col, row);
}

// ---------------------------------------------------------------------------------------------
// Building

/** Rows through one prepared statement (for ~20 columns this beats literal multi-row INSERTs in sql.js). */
function insertAll(db: Database, table: string, width: number, rows: Iterable<SqlValue[]>): void {
  const st = db.prepare(`INSERT INTO ${table} VALUES (${new Array(width).fill('?').join(',')})`);
  try {
    for (const row of rows) st.run(row);
  } finally {
    st.free();
  }
}

const q = (name: string): string => `"${name}"`;
const isDigits = (s: string): boolean => s.length > 0 && /^\d+$/.test(s);

function createTabTables(db: Database, rows: SheetRows): void {
  db.run('CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT)');
  insertAll(db, 'settings', 2, settingsRows(rows.settings).map((r) => [r.key, r.value]));
  for (const tab of TAB_KEYS) {
    if (tab === 'settings') continue;
    const cols = TAB_COLUMNS[tab];
    const list = (rows[tab] ?? []) as unknown as Record<string, unknown>[];
    const defs = ['"row" INTEGER', ...cols.map((c) => `${q(columnName(c))} ${columnType(c)}`)];
    const holiday = tab === 'timeBands';
    if (holiday) defs.push('"holiday" INTEGER');
    defs.push('"extra" TEXT');
    db.run(`CREATE TABLE ${tableName(tab)} (${defs.join(', ')})`);
    insertAll(
      db,
      tableName(tab),
      defs.length,
      list.map((r) => {
        const out: SqlValue[] = [r.row as number];
        for (const c of cols) out.push(columnValue(c, r));
        if (holiday) out.push(r.holiday ? 1 : 0);
        out.push(r.extra ? JSON.stringify(r.extra) : null);
        return out;
      }),
    );
  }
}

/** Longest common prefix of two strings. */
function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

const reverse = (s: string): string => s.split('').reverse().join('');

const GRAM = 4;
const GRAMS = 10 ** GRAM;

/** Inverted index of 4-digit grams: for each gram, the ascending ids whose text holds it. */
function gramPostings(texts: readonly string[]): { offsets: Int32Array; ids: Uint32Array } {
  const counts = new Int32Array(GRAMS + 1);
  const last = new Int32Array(GRAMS).fill(-1);
  const each = (fn: (g: number, id: number) => void): void => {
    for (let i = 0; i < texts.length; i++) {
      const s = texts[i];
      let g = 0;
      let run = 0; // digits in a row so far
      for (let p = 0; p < s.length; p++) {
        const d = s.charCodeAt(p) - 48;
        if (d < 0 || d > 9) {
          run = 0;
          g = 0;
          continue;
        }
        g = (g * 10 + d) % GRAMS;
        if (++run >= GRAM && last[g] !== i) {
          last[g] = i;
          fn(g, i + 1);
        }
      }
    }
  };
  each((g) => counts[g + 1]++);
  for (let g = 0; g < GRAMS; g++) counts[g + 1] += counts[g];
  const ids = new Uint32Array(counts[GRAMS]);
  const fill = counts.slice(0, GRAMS);
  last.fill(-1);
  each((g, id) => (ids[fill[g]++] = id));
  return { offsets: counts, ids };
}

function createSearchTables(db: Database, rows: SheetRows): void {
  db.run('CREATE TABLE search_accounts (account TEXT PRIMARY KEY, name TEXT, company TEXT, folded TEXT)');
  const accounts = new Map<string, { name: string; company: string }>();
  for (const c of rows.customers) if (!accounts.has(c.account)) accounts.set(c.account, { name: c.name, company: c.company });
  for (const n of rows.numbers) if (!accounts.has(n.account)) accounts.set(n.account, { name: '', company: '' });
  insertAll(db, 'search_accounts', 4, [...accounts].map(([account, c]) => [account, c.name, c.company, [account, c.name, c.company].join('\n').toLowerCase()]));
  db.run('CREATE INDEX numbers_account ON numbers(account)');

  db.run('CREATE TABLE number_ranges (id INTEGER PRIMARY KEY, start TEXT, "end" TEXT, rev_fixed TEXT, tail_len INTEGER)');
  const ranges: SqlValue[][] = [];
  const digits: string[] = [];
  rows.numbers.forEach((n, i) => {
    digits.push(n.altCdrNumbers.length === 0 ? n.number : [n.number, ...n.altCdrNumbers].join(' '));
    const s = n.number;
    const e = n.rangeEnd;
    if (e !== '' && e.length === s.length && isDigits(s) && isDigits(e) && s < e) {
      const p = commonPrefix(s, e);
      ranges.push([i + 1, s, e, reverse(s.slice(0, p)), s.length - p]);
    }
  });
  insertAll(db, 'number_ranges', 5, ranges);
  db.run('CREATE INDEX number_ranges_fixed ON number_ranges(rev_fixed, tail_len)');
  db.run('CREATE INDEX number_ranges_tail ON number_ranges(tail_len)');

  db.run('CREATE TABLE number_grams (gram INTEGER PRIMARY KEY, ids BLOB)');
  const { offsets, ids } = gramPostings(digits);
  const bytes = new Uint8Array(ids.buffer);
  const lists: SqlValue[][] = [];
  for (let g = 0; g < GRAMS; g++) if (offsets[g + 1] > offsets[g]) lists.push([g, bytes.subarray(offsets[g] * 4, offsets[g + 1] * 4)]);
  insertAll(db, 'number_grams', 2, lists);
}

/** One connection owns the in-memory database: no journal, no locking round trips per statement. */
function tune(db: Database): void {
  db.run('PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY;');
}

const modelDb = (db: Database, rows: Pick<SheetRows, 'settings'>): ModelDb => {
  const s = rows.settings;
  const plan: NumberPlan = { countryCode: s.countryCode, nationalPrefix: s.nationalPrefix, internationalPrefix: s.internationalPrefix, shortCodeDigits: 0 };
  return { db, plan, close: () => db.close() };
};

export async function buildModelDb(rows: SheetRows): Promise<ModelDb> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  tune(db);
  db.run('BEGIN');
  try {
    createTabTables(db, rows);
    createSearchTables(db, rows);
    db.run('COMMIT');
    db.run('ANALYZE');
  } catch (e) {
    db.close();
    throw e;
  }
  return modelDb(db, rows);
}

/** The model database of `rows` as the bytes of its file: built on another thread, opened with openModelDb. */
export async function modelDbBytes(rows: SheetRows): Promise<Uint8Array> {
  const mdb = await buildModelDb(rows);
  try {
    return mdb.db.export();
  } finally {
    mdb.close();
  }
}

/** A model database from the bytes modelDbBytes made (tens of ms, where building it takes seconds). */
export async function openModelDb(bytes: Uint8Array, rows: Pick<SheetRows, 'settings'>): Promise<ModelDb> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(bytes);
  tune(db);
  return modelDb(db, rows);
}

// ---------------------------------------------------------------------------------------------
// Ranges

/** The next digit string of the same length, or null past 99…9. */
function increment(digits: string): string | null {
  let i = digits.length - 1;
  while (i >= 0 && digits.charCodeAt(i) === 57) i--;
  if (i < 0) return null;
  return digits.slice(0, i) + String.fromCharCode(digits.charCodeAt(i) + 1) + '0'.repeat(digits.length - i - 1);
}

/**
 * The smallest member of the range [start, end] (digit strings of equal length, so text order is
 * number order) whose digits contain `q`, or null. For each place q could sit, the least string
 * >= start with q there is found directly, then checked against end: exact, O(length²), and the
 * range is never expanded.
 */
export function memberContaining(start: string, end: string, q: string): string | null {
  const len = start.length;
  if (q.length === 0 || q.length > len || end.length !== len) return null;
  let best: string | null = null;
  for (let pos = 0; pos + q.length <= len; pos++) {
    const rest = '0'.repeat(len - pos - q.length);
    const prefix = start.slice(0, pos);
    const head = prefix + q;
    const startHead = start.slice(0, pos + q.length);
    let cand: string | null;
    if (head > startHead) cand = head + rest;
    else if (head === startHead) cand = start;
    else {
      const bumped = increment(prefix);
      cand = bumped === null ? null : bumped + q + rest;
    }
    if (cand !== null && cand <= end && (best === null || cand < best)) best = cand;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Searching

export interface NumberHit {
  account: string;
  name: string;
  company: string;
  /** The Numbers row's Number (the first of a range). */
  number: string;
  /** '' when not a range. */
  rangeEnd: string;
  extension: string;
  site: string;
  status: string;
  /** Sheet row in Numbers. */
  row: number;
  /** For a digits search: a concrete number of the row holding them (a member of a range, or an AltCdrNumber). */
  matched?: string;
}

interface Prepared {
  accounts: Statement;
  accountNumbers: Statement;
  textScan: Statement;
  digitsScan: Statement;
  digitsById: Statement;
  gramLength: Statement;
  gram: Statement;
  rangesByTail: Statement;
  detail: Statement;
  /** The longest varying tail of any range (-1: no ranges). */
  maxTail: number;
  /** Range candidates by the fixed prefix, per query length. */
  rangesByHead: Map<number, Statement>;
}

const prepared = new WeakMap<Database, Prepared>();

function statements(db: Database): Prepared {
  let p = prepared.get(db);
  if (!p) {
    p = {
      accounts: db.prepare('SELECT account FROM search_accounts WHERE instr(folded, ?) > 0'),
      accountNumbers: db.prepare('SELECT rowid FROM numbers WHERE account = ? ORDER BY rowid LIMIT ?'),
      // `+account`: walk the table in row order and stop at the limit, rather than sort every match.
      textScan: db.prepare('SELECT rowid FROM numbers WHERE +account IN (SELECT account FROM search_accounts WHERE instr(folded, ?) > 0) ORDER BY rowid LIMIT ?'),
      digitsScan: db.prepare('SELECT rowid FROM numbers WHERE instr(number, ?1) > 0 OR instr("altCdrNumbers", ?1) > 0 ORDER BY rowid LIMIT ?2'),
      digitsById: db.prepare('SELECT rowid, number, "rangeEnd", "altCdrNumbers" FROM numbers WHERE rowid IN (SELECT value FROM json_each(?)) ORDER BY rowid'),
      gramLength: db.prepare('SELECT length(ids) / 4 FROM number_grams WHERE gram = ?'),
      gram: db.prepare('SELECT ids FROM number_grams WHERE gram = ?'),
      rangesByTail: db.prepare('SELECT id, start, "end" FROM number_ranges WHERE tail_len >= ? ORDER BY id'),
      detail: db.prepare(`SELECT n.rowid, n.account, coalesce(a.name, ''), coalesce(a.company, ''), n.number, n."rangeEnd", n.extension, n.site, n.status, n."row"
        FROM numbers n LEFT JOIN search_accounts a ON a.account = n.account WHERE n.rowid IN (SELECT value FROM json_each(?)) ORDER BY n.rowid`),
      maxTail: Number(db.exec('SELECT coalesce(max(tail_len), -1) FROM number_ranges')[0].values[0][0]),
      rangesByHead: new Map(),
    };
    prepared.set(db, p);
  }
  return p;
}

/** Rows by rowid, many per statement (one bind and step per row costs far more in sql.js). */
function rowsByIds(st: Statement, ids: ArrayLike<number>): SqlValue[][] {
  const out: SqlValue[][] = [];
  st.bind([JSON.stringify(Array.from(ids))]);
  while (st.step()) out.push(st.get());
  st.reset();
  return out;
}

/** The first column of each row, up to `limit` rows. */
function column<T extends SqlValue>(st: Statement, params: SqlValue[], limit = Infinity): T[] {
  const out: T[] = [];
  st.bind(params);
  while (out.length < limit && st.step()) out.push(st.get()[0] as T);
  st.reset();
  return out;
}

/**
 * Rows of the accounts whose account, name or company holds `needle` (case-folded): a few
 * accounts through the account index (each in row order), many by one walk in row order.
 */
function textHits(p: Prepared, needle: string, limit: number, out: Map<number, string | undefined>): void {
  const accounts = column<string>(p.accounts, [needle], 33);
  if (accounts.length === 0) return;
  const ids = accounts.length <= 32 ? accounts.flatMap((a) => column<number>(p.accountNumbers, [a, limit])) : column<number>(p.textScan, [needle, limit]);
  for (const id of ids) if (!out.has(id)) out.set(id, undefined);
}

/** The ids of `small` that are also in `big` (both ascending): a binary search per id, from where the last one stopped. */
function intersect(small: Uint32Array, big: Uint32Array): Uint32Array {
  const out = new Uint32Array(small.length);
  let n = 0;
  let lo = 0;
  for (let i = 0; i < small.length && lo < big.length; i++) {
    const x = small[i];
    let hi = big.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (big[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    if (lo < big.length && big[lo] === x) out[n++] = x;
  }
  return out.subarray(0, n);
}

/**
 * Rowids whose numbers may hold `v` (a superset), ascending, from the gram index. The shortest
 * list first; a longer one is fetched only while it can still narrow the candidates more cheaply
 * than checking them (a checked row costs about as much as fetching a few hundred ids).
 */
function gramCandidates(p: Prepared, v: string): Uint32Array {
  const grams: { g: number; n: number }[] = [];
  for (let i = 0; i + GRAM <= v.length; i++) {
    const g = Number(v.slice(i, i + GRAM));
    if (grams.some((x) => x.g === g)) continue;
    const n = column<number>(p.gramLength, [g], 1)[0];
    if (n === undefined) return new Uint32Array(0);
    grams.push({ g, n });
  }
  grams.sort((x, y) => x.n - y.n);
  const fetch = (g: number): Uint32Array => new Uint32Array(column<Uint8Array>(p.gram, [g], 1)[0].slice().buffer);
  let c = fetch(grams[0].g);
  for (let i = 1; i < grams.length && c.length > 0 && grams[i].n < c.length * 300; i++) c = intersect(c, fetch(grams[i].g));
  return c;
}

/** The concrete number of a row that holds `v`: a member of its range, or the number or an alternate. */
function matchedNumber(number: string, rangeEnd: string, alt: string, v: string): string | null {
  if (rangeEnd.length === number.length && number < rangeEnd) {
    const m = memberContaining(number, rangeEnd, v);
    if (m !== null) return m;
  } else if (number.includes(v)) return number;
  if (alt !== '') for (const a of alt.split(',')) if (a.includes(v)) return a.trim();
  return null;
}

/** Rows whose number, range start or alternates hold `v` as typed: the first `limit` by row. */
function numberHits(p: Prepared, v: string, limit: number, out: Map<number, string | undefined>): void {
  const ids = v.length >= GRAM ? gramCandidates(p, v) : column<number>(p.digitsScan, [v, limit]);
  let found = 0;
  // In chunks, in row order, until the limit: a common gram can have many candidates.
  for (let i = 0; i < ids.length && found < limit; i += 64) {
    for (const [id, number, rangeEnd, alt] of rowsByIds(p.digitsById, ids.slice(i, i + 64)) as [number, string, string | null, string | null][]) {
      const m = matchedNumber(number, rangeEnd ?? '', alt ?? '', v);
      if (m === null) continue;
      if (out.get(id) === undefined) out.set(id, m);
      if (++found >= limit) break;
    }
  }
}

/** Ranges a member of which holds `v` with digits from its varying tail: the first `limit` by row. */
function rangeHits(p: Prepared, db: Database, v: string, limit: number, out: Map<number, string | undefined>): void {
  const L = v.length;
  if (p.maxTail < 1) return;
  const hits: { id: number; m: string }[] = [];
  // Past the limit-th hit of the first pass, the second cannot add anything that is kept.
  let below = Number.MAX_SAFE_INTEGER;
  // v fits in the tail: in row order, stopping at the limit (short digits fit in many ranges).
  if (L <= p.maxTail) {
    const st = p.rangesByTail;
    st.bind([L]);
    let n = 0;
    while (n < limit && st.step()) {
      const [id, start, end] = st.get() as [number, string, string];
      const m = memberContaining(start, end, v);
      if (m !== null) {
        hits.push({ id, m });
        if (++n === limit) below = id;
      }
    }
    st.reset();
  }
  // v starts in the fixed prefix: its first k digits end the prefix, the other L-k fit in the tail.
  const ks: number[] = [];
  for (let k = Math.max(1, L - p.maxTail); k < L; k++) ks.push(k);
  if (ks.length > 0) {
    let st = p.rangesByHead.get(L);
    if (!st) {
      st = db.prepare(`SELECT id, start, "end" FROM number_ranges WHERE ${ks.map(() => '(rev_fixed >= ? AND rev_fixed < ? AND tail_len >= ? AND id < ?)').join(' OR ')}`);
      p.rangesByHead.set(L, st);
    }
    const params: SqlValue[] = [];
    for (const k of ks) {
      const head = reverse(v.slice(0, k));
      params.push(head, head + ':', L - k, below);
    }
    st.bind(params);
    while (st.step()) {
      const [id, start, end] = st.get() as [number, string, string];
      const m = memberContaining(start, end, v);
      if (m !== null) hits.push({ id, m });
    }
    st.reset();
  }
  // The first `limit` of the tail pass and every head candidate hold the first `limit` of both.
  for (const h of hits) if (out.get(h.id) === undefined) out.set(h.id, h.m);
}

/** The digit strings to look for: as typed, and as Numbers holds a number typed in national or international form. */
function digitVariants(text: string, plan: NumberPlan): string[] {
  if (!/^\+?[\d\s\-.()\u00a0]+$/.test(text)) return [];
  const raw = text.replace(/\D/g, '');
  if (raw === '') return [];
  const out = [raw];
  const whole =
    text.startsWith('+') ||
    (plan.internationalPrefix !== '' && raw.startsWith(plan.internationalPrefix) && raw.length >= 8) ||
    (plan.nationalPrefix !== '' && raw.startsWith(plan.nationalPrefix) && !(plan.internationalPrefix !== '' && raw.startsWith(plan.internationalPrefix)) && raw.length >= 4);
  if (whole) {
    const n = normalisePhone(text, plan);
    if (n && n.digits !== raw) out.push(n.digits);
  }
  return out;
}

/**
 * Numbers rows found by customer name, account or company (case-insensitive substring), or by
 * any digits of a number: a number or AltCdrNumber that holds them, or a range with a member that
 * does (`matched` names the smallest such member). A number typed in national or international
 * form (`020 7946 0042`, `+44 20 …`) is also looked for as Numbers holds it. The first `limit`
 * rows in sheet order.
 */
export function searchNumbers(mdb: ModelDb, query: string, limit = 50): NumberHit[] {
  const text = query.trim();
  if (text === '' || limit <= 0) return [];
  const p = statements(mdb.db);
  const found = new Map<number, string | undefined>();
  textHits(p, text.toLowerCase(), limit, found);
  for (const v of digitVariants(text, mdb.plan)) {
    numberHits(p, v, limit, found);
    rangeHits(p, mdb.db, v, limit, found);
  }
  const ids = [...found.keys()].sort((a, b) => a - b).slice(0, limit);
  const hits: NumberHit[] = [];
  for (const r of rowsByIds(p.detail, ids)) {
    const [id, account, name, company, number, rangeEnd, extension, site, status, row] = r as [number, string, string, string, string, string | null, string | null, string | null, string | null, number];
    const hit: NumberHit = { account, name, company, number, rangeEnd: rangeEnd ?? '', extension: extension ?? '', site: site ?? '', status: status ?? '', row };
    const m = found.get(id);
    if (m !== undefined) hit.matched = m;
    hits.push(hit);
  }
  return hits;
}
