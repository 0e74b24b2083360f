// The compiled model in sql.js: one table per tab (for queries, reports and the UI's grids) and a
// `numbers` search table that finds a customer by name, account, company or any digits of a
// number — a number inside a range included — without expanding ranges.
// Money is stored as INTEGER micro-units in columns suffixed _micro (exact; formatted on the way out).

import initSqlJs, { type Database } from 'sql.js';
import { TAB_COLUMNS, TAB_KEYS, type TabKey } from '../rules/columns.js';
import { TAB_NAMES, type SheetRows } from '../rules/rows.js';
import { normalisePhone, type NumberPlan } from '../rules/phone.js';

export interface ModelDb {
  db: Database;
  /** To read a number typed in national form (`0161 …`) the way Numbers holds it. */
  plan: NumberPlan;
  close(): void;
}

const sqlType = (t: string): string => (t === 'amount' || t === 'percent' || t === 'decimal' || t === 'int' || t === 'date' || t === 'time' || t === 'bool' ? 'INTEGER' : 'TEXT');
const colName = (field: string, type: string): string => (type === 'amount' || type === 'percent' || type === 'decimal' ? `${field}_micro` : field);

function sqlValue(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (Array.isArray(v)) return v.join(',');
  if (typeof v === 'number' || typeof v === 'string') return v;
  return JSON.stringify(v);
}

export async function buildModelDb(rows: SheetRows): Promise<ModelDb> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run('PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;');
  db.run('BEGIN');
  for (const tab of TAB_KEYS) {
    if (tab === 'settings') {
      db.run('CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT)');
      const st = db.prepare('INSERT INTO settings VALUES (?, ?)');
      for (const [k, v] of Object.entries(rows.settings)) st.run([k, String(sqlValue(v))]);
      st.free();
      continue;
    }
    const cols = TAB_COLUMNS[tab];
    const names = ['row', ...cols.map((c) => colName(c.field, c.type))];
    const extra = tab === 'timeBands' ? ['holiday'] : [];
    // Quoted: TimeBands has columns named From and To.
    db.run(`CREATE TABLE ${table(tab)} (${[...names.map((n, i) => `"${n}" ${i === 0 ? 'INTEGER' : sqlType(cols[i - 1].type)}`), ...extra.map((e) => `"${e}" INTEGER`)].join(', ')})`);
    insertAll(db, table(tab), names.length + extra.length, (rows[tab] as unknown as Record<string, unknown>[]).map((r) => [r.row as number, ...cols.map((c) => sqlValue(r[c.field])), ...extra.map((e) => sqlValue(r[e]))]));
  }
  // The search table: one row per Numbers row, its range as start/end text of equal length.
  db.run(`CREATE TABLE numbers_search (
    account TEXT, name TEXT, company TEXT, number TEXT, range_end TEXT, extension TEXT, site TEXT, status TEXT, alt TEXT, haystack TEXT)`);
  const customers = new Map(rows.customers.map((c) => [c.account, c]));
  insertAll(db, 'numbers_search', 10, rows.numbers.map((n) => {
    const c = customers.get(n.account);
    const hay = [n.account, c?.name ?? '', c?.company ?? '', n.number, n.rangeEnd, ...n.altCdrNumbers, n.site].join(' ').toLowerCase();
    return [n.account, c?.name ?? '', c?.company ?? '', n.number, n.rangeEnd, n.extension, n.site, n.status, n.altCdrNumbers.join(','), hay];
  }));
  db.run('CREATE INDEX numbers_search_number ON numbers_search(number)');
  db.run('COMMIT');
  const s = rows.settings;
  const plan = { countryCode: s.countryCode, nationalPrefix: s.nationalPrefix, internationalPrefix: s.internationalPrefix, shortCodeDigits: 0 };
  return { db, plan, close: () => db.close() };
}

const table = (tab: TabKey): string => TAB_NAMES[tab].toLowerCase();

/** SQL text for a value: SQLite parses literals in wasm far faster than sql.js binds values one by one. */
function literal(v: string | number | null): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'NULL';
  return `'${v.replace(/'/g, "''")}'`;
}

/** Many rows per INSERT statement, as literal SQL in chunks of about 1 MB. */
function insertAll(db: Database, name: string, _width: number, values: (string | number | null)[][]): void {
  let sql = '';
  for (const row of values) {
    sql += (sql === '' ? `INSERT INTO ${name} VALUES ` : ',') + '(' + row.map(literal).join(',') + ')';
    if (sql.length > 1 << 20) {
      db.run(sql);
      sql = '';
    }
  }
  if (sql !== '') db.run(sql);
}

export interface NumberHit {
  account: string;
  name: string;
  company: string;
  number: string;
  rangeEnd: string;
  extension: string;
  site: string;
  status: string;
  /** A concrete number of the range that holds the digits searched for. */
  matched?: string;
}

/**
 * The smallest member of [start, end] (equal-length digit strings, so text order is number order)
 * whose digits contain `q`, or null: for each place `q` could sit, the least string >= start with
 * `q` there, checked against end. Exact, and never expands the range.
 */
export function memberContaining(start: string, end: string, q: string): string | null {
  const len = start.length;
  let best: string | null = null;
  for (let pos = 0; pos + q.length <= len; pos++) {
    const restLen = len - pos - q.length;
    const prefix = start.slice(0, pos);
    const head = prefix + q;
    const startHead = start.slice(0, pos + q.length);
    let cand: string | null;
    if (head > startHead) cand = head + '0'.repeat(restLen);
    else if (head === startHead) cand = start;
    else {
      const bumped = increment(prefix);
      cand = bumped === null ? null : bumped + q + '0'.repeat(restLen);
    }
    if (cand !== null && cand <= end && (best === null || cand < best)) best = cand;
  }
  return best;
}

/** The next digit string of the same length, or null past 99…9. */
function increment(digits: string): string | null {
  const a = digits.split('').map(Number);
  for (let i = a.length - 1; i >= 0; i--) {
    if (a[i] < 9) {
      a[i]++;
      return a.join('');
    }
    a[i] = 0;
  }
  return null;
}

export function searchNumbers(mdb: ModelDb, query: string, limit = 50): NumberHit[] {
  const typed = query.trim().toLowerCase();
  if (typed === '') return [];
  const raw = typed.replace(/[\s().+-]/g, '');
  const isDigits = /^\d+$/.test(raw);
  // A number typed in national or international form is searched as Numbers holds it.
  const n = isDigits && raw.length >= 8 ? normalisePhone(typed, mdb.plan) : null;
  const digits = n ? n.digits : raw;
  const q = isDigits ? digits : typed;
  const hits: NumberHit[] = [];
  const st = mdb.db.prepare('SELECT account, name, company, number, range_end, extension, site, status, haystack FROM numbers_search WHERE haystack LIKE ? OR (range_end <> \'\' AND ? = 1 AND length(number) >= ?)');
  st.bind([`%${q.replace(/[%_]/g, '')}%`, isDigits ? 1 : 0, digits.length]);
  while (st.step() && hits.length < limit) {
    const [account, name, company, number, rangeEnd, extension, site, status, haystack] = st.get() as string[];
    const hit: NumberHit = { account, name, company, number, rangeEnd, extension, site, status };
    const direct = haystack.includes(q) || (isDigits && haystack.includes(digits));
    if (isDigits && rangeEnd !== '') {
      const m = memberContaining(number, rangeEnd, digits);
      if (m !== null) hit.matched = m;
      else if (!direct) continue;
    } else if (!direct) continue;
    hits.push(hit);
  }
  st.free();
  return hits;
}
