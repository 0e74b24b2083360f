// The screens, one row each: the hash route, the header tab it belongs to, the page title, and how
// to render it. rb-app shows the first row whose pattern matches the address. To add a screen:
// write its element (rb-NAME.ts), import it here and add a row (and a NAV item for a new tab).

import { html, type TemplateResult } from 'lit';
import type { ApiClient } from './api-client.js';
import type { Me, Role } from './api-types.js';
import { matchPattern } from './hash-route.js';
import './rb-run.js';
import './rb-runs.js';
import './rb-version.js';
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
];

const numberOrNull = (s: string | null): number | null => (s && /^\d+$/.test(s) ? Number(s) : null);

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
