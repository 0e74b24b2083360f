// The screens, one row each: the hash route, the header tab it belongs to, the page title, and how
// to render it. rb-app shows the first row whose pattern matches the address. To add a screen:
// write its element (rb-NAME.ts), import it here and add a row (and a NAV item for a new tab).

import { html, type TemplateResult } from 'lit';
import type { ApiClient } from './api-client.js';
import type { Me, Role } from './api-types.js';
import { matchPattern } from './hash-route.js';
import { SMART_FIELDS } from './rb-search.js';
import './rb-billing.js';
import './rb-exceptions.js';
import './rb-number-page.js';
import './rb-run.js';
import './rb-runs.js';
import './rb-search.js';
import './rb-version.js';
import './rb-whatif.js';
import './rb-workbooks.js';

export interface ScreenContext {
  api: ApiClient;
  me: Me;
  params: Record<string, string>;
  query: URLSearchParams;
}

export interface Screen {
  /** `/runs/:id(\d+)/exceptions`: see hash-route.ts. */
  pattern: string;
  /** The header tab lit while this screen shows (a NAV label). */
  tab: string;
  /** The document's title. */
  title: (c: ScreenContext) => string;
  render: (c: ScreenContext) => TemplateResult;
}

export interface NavItem {
  label: string;
  href: string;
}

/** The header's tabs, in order. */
export const NAV: NavItem[] = [
  { label: 'Workbooks', href: '#/workbooks' },
  { label: 'Runs', href: '#/runs' },
  { label: 'Billing', href: '#/billing' },
  { label: 'Search', href: '#/search' },
];

export const SCREENS: Screen[] = [
  {
    pattern: '/workbooks',
    tab: 'Workbooks',
    title: () => 'Workbooks',
    render: (c) => html`<rb-workbooks .api=${c.api} .callerRole=${c.me.role}></rb-workbooks>`,
  },
  {
    pattern: '/workbooks/:seq(\\d+)',
    tab: 'Workbooks',
    title: (c) => `Version ${c.params.seq}`,
    render: (c) => html`<rb-version .api=${c.api} .callerRole=${c.me.role} .seq=${Number(c.params.seq)} .against=${numberOrNull(c.query.get('against'))}></rb-version>`,
  },
  {
    pattern: '/runs',
    tab: 'Runs',
    title: () => 'Runs',
    render: (c) => html`<rb-runs .api=${c.api} .callerRole=${c.me.role}></rb-runs>`,
  },
  {
    pattern: '/runs/:id(\\d+)',
    tab: 'Runs',
    title: (c) => `Run ${c.params.id}`,
    render: (c) => html`<rb-run .api=${c.api} .callerRole=${c.me.role} .runId=${Number(c.params.id)}></rb-run>`,
  },
  {
    pattern: '/runs/:id(\\d+)/exceptions',
    tab: 'Runs',
    title: (c) => `Run ${c.params.id}: exceptions`,
    render: (c) => html`<rb-exceptions .api=${c.api} .callerRole=${c.me.role} .runId=${Number(c.params.id)} .reason=${c.query.get('reason') ?? ''}></rb-exceptions>`,
  },
  {
    pattern: '/runs/:id(\\d+)/whatif',
    tab: 'Runs',
    title: (c) => `Run ${c.params.id}: what if`,
    render: (c) => html`<rb-whatif .api=${c.api} .callerRole=${c.me.role} .runId=${Number(c.params.id)} .version=${numberOrNull(c.query.get('version'))}></rb-whatif>`,
  },
  {
    pattern: '/billing',
    tab: 'Billing',
    title: () => 'Billing',
    render: (c) => html`<rb-billing .api=${c.api} .callerRole=${c.me.role} .period=${null}></rb-billing>`,
  },
  {
    pattern: '/billing/:period(\\d{4}-\\d{2})',
    tab: 'Billing',
    title: (c) => `Billing ${c.params.period}`,
    render: (c) => html`<rb-billing .api=${c.api} .callerRole=${c.me.role} .period=${c.params.period} .invoice=${c.query.get('invoice')}></rb-billing>`,
  },
  {
    pattern: '/search',
    tab: 'Search',
    title: (c) => (c.query.get('q') ? `Search: ${c.query.get('q')}` : 'Search'),
    render: (c) => html`<rb-search .api=${c.api} .callerRole=${c.me.role} .q=${c.query.get('q') ?? ''} .filters=${smartFilters(c.query)}></rb-search>`,
  },
  {
    pattern: '/numbers/:number',
    tab: 'Search',
    title: (c) => `Number ${c.params.number}`,
    render: (c) => html`<rb-number-page .api=${c.api} .callerRole=${c.me.role} .number=${c.params.number}></rb-number-page>`,
  },
];

const numberOrNull = (s: string | null): number | null => (s && /^\d+$/.test(s) ? Number(s) : null);

/** SmartSearch's fields from the address (#/search?q=…&site=Leeds). */
const smartFilters = (q: URLSearchParams): Record<string, string> => Object.fromEntries(SMART_FIELDS.map((f) => [f.key, q.get(f.key) ?? '']).filter(([, v]) => v !== ''));

export function findScreen(path: string): { screen: Screen; params: Record<string, string> } | null {
  for (const screen of SCREENS) {
    const params = matchPattern(screen.pattern, path);
    if (params) return { screen, params };
  }
  return null;
}

/** Where a role starts when the address names no screen. */
export function homeOf(role: Role): string {
  return role === 'clerk' || role === 'manager' ? '#/runs' : '#/workbooks';
}
