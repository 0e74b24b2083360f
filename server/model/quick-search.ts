// QuickSearch (SPEC §7 GET /api/search): customers whose account, name or company holds the text,
// and Numbers rows found by model-db.ts's searchNumbers — by their customer's account, name or
// company, or by any digits of a number, a number inside a range included.

import type { Database, Statement } from 'sql.js';
import { searchNumbers, type ModelDb, type NumberHit } from './model-db.js';

export interface CustomerHit {
  account: string;
  name: string;
  company: string;
  status: string;
  /** How many Numbers rows the account has. */
  numberRows: number;
}

export interface QuickSearchAnswer {
  customers: CustomerHit[];
  numbers: NumberHit[];
  /** More matched than the limit: the lists hold the first ones (customers by account, numbers in sheet order). */
  more: boolean;
}

const statements = new WeakMap<Database, Statement>();

function customerStatement(db: Database): Statement {
  let st = statements.get(db);
  if (!st) {
    // Customers only (search_accounts also lists accounts that only Numbers names).
    st = db.prepare(`SELECT a.account, a.name, a.company, coalesce(c.status, 'Active'),
        (SELECT count(*) FROM numbers n WHERE n.account = a.account)
      FROM search_accounts a JOIN customers c ON c.account = a.account
      WHERE instr(a.folded, ?) > 0 GROUP BY a.account ORDER BY a.account LIMIT ?`);
    statements.set(db, st);
  }
  return st;
}

export function quickSearch(mdb: ModelDb, text: string, limit: number): QuickSearchAnswer {
  const q = text.trim();
  if (q === '') return { customers: [], numbers: [], more: false };
  const st = customerStatement(mdb.db);
  const customers: CustomerHit[] = [];
  st.bind([q.toLowerCase(), limit + 1]);
  while (st.step()) {
    const [account, name, company, status, numberRows] = st.get() as [string, string, string, string, number];
    customers.push({ account, name, company, status, numberRows });
  }
  st.reset();
  const numbers = searchNumbers(mdb, q, limit + 1);
  const more = customers.length > limit || numbers.length > limit;
  return { customers: customers.slice(0, limit), numbers: numbers.slice(0, limit), more };
}
