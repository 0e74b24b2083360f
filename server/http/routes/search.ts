// Finding customers and numbers in the published version (SPEC §7, §8): QuickSearch for the box on
// every screen, SmartSearch's filtered grid of Numbers rows, and a number's page.

import { z } from 'zod';
import { ApiRouter } from '../api-router.js';
import type { ServerContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { EVERYONE } from '../roles.js';
import { parseGridQuery } from '../../grids/grid-query.js';
import { pageRows } from '../../grids/row-grid.js';
import { publishedModel, type VersionModel } from '../../model/version-cache.js';
import { quickSearch } from '../../model/quick-search.js';
import { NUMBER_COLUMNS, NUMBER_NUMERIC, findNumbers, numberAsHeld, numberPage } from '../../model/number-finder.js';
import { CALL_CLASSES } from '../../../rules/workbook/rows.js';
import type { RatingModel } from '../../../rules/rating/rating-model.js';

/** Search answers at most this many customers and this many numbers. */
const SEARCH_LIMIT = 50;

/** An optional query text; blank is the same as absent (a UI sends its empty filters). */
const text = z
  .string()
  .max(200)
  .optional()
  .transform((s) => (s === undefined || s.trim() === '' ? undefined : s.trim()));

/** One of `values`, in any case; blank is the same as absent. */
const choice = <T extends string>(values: readonly T[]) =>
  z
    .string()
    .max(100)
    .optional()
    .transform((s, ctx): T | undefined => {
      if (s === undefined || s.trim() === '') return undefined;
      const v = values.find((x) => x.toLowerCase() === s.trim().toLowerCase());
      if (v === undefined) {
        ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')}` });
        return z.NEVER;
      }
      return v;
    })
    .describe(`one of ${values.join(', ')} (any case)`);

const TextRow = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));

const NumberHit = z.object({
  account: z.string(),
  name: z.string(),
  company: z.string(),
  number: z.string().describe('the Numbers row\'s Number (the first of a range)'),
  rangeEnd: z.string().describe("'' when not a range"),
  extension: z.string(),
  site: z.string(),
  status: z.string(),
  row: z.number().int().describe('sheet row in Numbers'),
  matched: z.string().optional().describe('for digits: the number of the row that holds them (a member of the range, or an AltCdrNumber)'),
});

const SearchAnswer = z.object({
  version: z.number().int().describe('the published version searched'),
  customers: z.array(z.object({ account: z.string(), name: z.string(), company: z.string(), status: z.string(), numberRows: z.number().int() })).describe(`whose account, name or company holds q (any case), by account, at most ${SEARCH_LIMIT}`),
  numbers: z.array(NumberHit).describe(`Numbers rows whose customer matches as above or whose number holds q's digits (inside ranges and AltCdrNumbers too; a national or international form is also looked for as Numbers holds it), in sheet order, at most ${SEARCH_LIMIT}`),
  more: z.boolean().describe('more matched than were listed'),
});

const NumbersPage = z.object({
  version: z.number().int(),
  columns: z.array(z.string()),
  total: z.number().int(),
  rows: z.array(TextRow).describe('the Numbers row (cells as text), its customer\'s Name, Company, Address, CustomerStatus, and Tariffs: the tariffs its calls resolve to, comma-joined'),
});

const TariffInForce = z.object({
  callClass: z.enum(CALL_CLASSES),
  tariff: z.string().nullable(),
  markup: z.string().nullable(),
  fallbackMarkup: z.string().nullable(),
  chargeDecimals: z.number().int(),
  rounding: z.string(),
});

const NumberPageAnswer = z.object({
  version: z.number().int(),
  number: z.string().describe('as Numbers holds it'),
  rows: z.array(
    z.object({
      match: z.enum(['number', 'alt', 'range']),
      number: TextRow,
      customer: TextRow.nullable(),
      tariffs: z.array(TariffInForce).describe('SPEC §2 step 7 for this number, per call class'),
      assignments: z.array(TextRow).describe('the TariffAssignments rows that apply to it'),
    }),
  ),
});

/** The published version and its rating model (a published version has no errors, so it has one). */
async function published(ctx: ServerContext): Promise<{ vm: VersionModel; model: RatingModel }> {
  const vm = await publishedModel(ctx);
  const model = vm.rating();
  if (!model) throw new Error(`published version ${vm.seq} has errors`);
  return { vm, model };
}

export function searchRoutes(ctx: ServerContext): ApiRouter {
  return new ApiRouter()
    .add(
      {
        method: 'get',
        path: '/search',
        summary: 'QuickSearch the published version: customers and numbers by account, name, company or any digits of a number',
        access: EVERYONE,
        query: z.object({ q: z.string().trim().min(1, 'type something to search for').max(200) }),
        answers: { 200: { description: 'what matched', schema: SearchAnswer }, 409: { description: 'no version is published' } },
      },
      async (c, { query }) => {
        const vm = await publishedModel(ctx);
        const found = await vm.withDb((mdb) => quickSearch(mdb, query.q, SEARCH_LIMIT));
        return c.json({ version: vm.seq, ...found });
      },
    )
    .add(
      {
        method: 'get',
        path: '/numbers',
        summary: 'SmartSearch: the published version\'s Numbers rows with their customer, filtered, as a grid page',
        access: EVERYONE,
        query: z.object({
          tariff: text.describe('a tariff the number\'s calls of some class resolve to (any case)'),
          status: choice(['Active', 'Suspended', 'NonBillable', 'Dropped'] as const),
          site: text.describe('a substring of Site (any case)'),
          numberType: text.describe('NumberType (any case); AutoDetect also matches a blank one'),
          callClass: choice(CALL_CLASSES).describe('numbers a TariffAssignments row naming this CallClass applies to (their own, their range\'s, an AltCdrNumber\'s or their account\'s)'),
          postcode: text.describe("a substring of the customer's Address, ignoring case and spaces"),
          customerStatus: choice(['Active', 'Archived'] as const),
        }),
        grid: true,
        answers: { 200: { description: 'a page of numbers', schema: NumbersPage }, 409: { description: 'no version is published' } },
      },
      async (c, { query }) => {
        const q = parseGridQuery(c.req.url, NUMBER_COLUMNS, NUMBER_NUMERIC);
        const { vm, model } = await published(ctx);
        const page = pageRows(findNumbers(vm, model, query), q, NUMBER_NUMERIC);
        return c.json({ version: vm.seq, columns: NUMBER_COLUMNS, total: page.total, rows: page.rows });
      },
    )
    .add(
      {
        method: 'get',
        path: '/numbers/:number',
        summary: "A number's page: the Numbers rows that hold it, their customer, the tariffs in force per call class and the assignments that apply",
        access: EVERYONE,
        params: z.object({ number: z.string().min(1).max(40).describe('national (0161 …), international (+44 161 …) or as Numbers holds it') }),
        answers: {
          200: { description: 'the number', schema: NumberPageAnswer },
          400: { description: 'not a phone number' },
          404: { description: 'no Numbers row holds it' },
          409: { description: 'no version is published' },
        },
      },
      async (c, { params }) => {
        const { vm, model } = await published(ctx);
        const number = numberAsHeld(model, params.number);
        if (number === null) throw badRequest(`${JSON.stringify(params.number)} is not a phone number`, [{ at: 'params.number', message: 'digits, with spaces, hyphens, dots, parentheses or a leading + if you like' }]);
        const page = numberPage(vm, model, number);
        if (!page) throw notFound(`no Numbers row of version ${vm.seq} holds ${number}`);
        return c.json({ version: vm.seq, ...page });
      },
    );
}
