// The review screens' API calls (SPEC §7): a run's exceptions by reason, re-rate, release, what-if,
// bills and their files, search and a number's page — through ApiClient's request, so the token and
// the errors (ApiFailure) are handled as everywhere else. Money passes through untouched.

import { failureOf, unreachable } from './api-failure.js';
import type { ApiClient } from './api-client.js';
import type { GridPage } from './api-types.js';
import { gridSearchParams, type GridRequest } from './grid-request.js';
import type { Bill, BillList, NumberPage, NumbersPage, ReasonSummary, Released, ReleaseChoice, Rerated, SearchAnswer, WhatIf } from './review-types.js';

// Runs: the closed loop
export const exceptionSummary = (api: ApiClient, run: number): Promise<ReasonSummary> => api.request('GET', `/runs/${run}/exceptions/summary`);
export const rerate = (api: ApiClient, run: number, version: number): Promise<Rerated> => api.request('POST', `/runs/${run}/rerate`, { body: { version } });
export const release = (api: ApiClient, run: number, choice: ReleaseChoice, reason: string): Promise<Released> => api.request('POST', `/runs/${run}/release`, { body: { ...choice, reason } });
export const whatIf = (api: ApiClient, run: number, version: number, signal?: AbortSignal): Promise<WhatIf> => api.request('POST', `/runs/${run}/whatif`, { body: { version }, signal });

/** A page of a run's rated calls, as the grid asks for it (the number page's recent calls). */
export const ratedPage = (api: ApiClient, run: number, req: GridRequest): Promise<GridPage> => api.gridPage(`/runs/${run}/rated`, req);

// Bills
export const bills = (api: ApiClient): Promise<BillList> => api.request('GET', '/bills');
export const bill = (api: ApiClient, period: string): Promise<Bill> => api.request('GET', `/bills/${encodeURIComponent(period)}`);
export const makeBill = (api: ApiClient, period: string, final: boolean): Promise<Bill> => api.request('POST', '/bills', { body: final ? { period, final: true } : { period } });
/** The API path of one of a bill's files (`invoices/NWV-000001.html` keeps its slash). */
export const billFilePath = (period: string, name: string): string => `/bills/${encodeURIComponent(period)}/files/${name.split('/').map(encodeURIComponent).join('/')}`;
export const billFileText = (api: ApiClient, period: string, name: string, signal?: AbortSignal): Promise<string> => fetchText(api, billFilePath(period, name), signal);

// Search
export const quickSearch = (api: ApiClient, q: string): Promise<SearchAnswer> => api.request('GET', '/search', { query: { q } });
export const numberPage = (api: ApiClient, number: string): Promise<NumberPage> => api.request('GET', `/numbers/${encodeURIComponent(number)}`);

/** SmartSearch: a grid page of numbers with the filters beside the grid's own paging and sorting. */
export function numbersPage(api: ApiClient, filters: Record<string, string>, req: GridRequest, signal?: AbortSignal): Promise<NumbersPage> {
  const q = gridSearchParams(req);
  for (const [k, v] of Object.entries(filters)) if (v.trim()) q.set(k, v.trim());
  return api.request('GET', '/numbers', { query: q, signal });
}

/** A text file with the token (a CSV report, a printable invoice); errors as ApiFailure. */
export async function fetchText(api: ApiClient, path: string, signal?: AbortSignal): Promise<string> {
  let res: Response;
  try {
    res = await fetch(api.url(path), { headers: { Authorization: `Bearer ${api.token}` }, signal });
  } catch (e) {
    throw unreachable(e instanceof Error ? e.message : String(e));
  }
  const text = await res.text();
  if (!res.ok) throw failureOf(res.status, text, res.statusText);
  return text;
}
