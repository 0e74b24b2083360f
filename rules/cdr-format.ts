// CDR formats (SPEC §5): the built-in generic, asterisk and freeswitch layouts and those the
// CdrFormats tab defines; detection from the first lines; and a per-file extractor that turns a
// line's fields into the raw CDR fields mediation reads. Column positions are resolved once per
// file, never per line.

import { headerKey } from './columns.js';
import { compileExpression, identifierFor, type CompiledExpr } from './expr.js';
import { err, ok, type Result } from './result.js';
import type { CdrFormatRow } from './rows.js';
import { parseIsoTime, timeParser, type TimeParser } from './cdr-time.js';

export const BUILT_IN_FORMATS = ['generic', 'asterisk', 'freeswitch'] as const;

/** The fields of one line before mediation gives them meaning. */
export interface RawCdr {
  id: string;
  start: string;
  duration: string;
  caller: string;
  called: string;
  extension: string;
  direction: string;
  cost: string;
  /** null where the format carries none (then a call is answered when its duration is above 0). */
  disposition: string | null;
}

export type Extracted = { kind: 'raw'; raw: RawCdr } | { kind: 'bad'; detail: string; raw: Partial<RawCdr> };

export interface FileFormat {
  name: string;
  /** The first record is a header, not a call. */
  header: boolean;
  parseTime: TimeParser;
  extract(fields: string[]): Extracted;
}

const GENERIC_FIELDS = ['id', 'start', 'duration', 'caller', 'called', 'extension', 'direction', 'cost'] as const;
const REQUIRED_GENERIC = ['start', 'duration', 'caller', 'called'];

const at = (f: string[], i: number): string => (i >= 0 && i < f.length ? f[i] : '');

function genericFormat(header: string[], zone: string): Result<FileFormat, string> {
  const keys = header.map(headerKey);
  const idx = Object.fromEntries(GENERIC_FIELDS.map((k) => [k, keys.indexOf(k)])) as Record<(typeof GENERIC_FIELDS)[number], number>;
  const missing = REQUIRED_GENERIC.filter((k) => idx[k as keyof typeof idx] < 0);
  if (missing.length) return err(`the generic header lacks ${missing.join(', ')}`);
  const width = header.length;
  return ok({
    name: 'generic',
    header: true,
    parseTime: (s) => parseIsoTime(s, zone),
    extract(f) {
      const raw = {
        id: at(f, idx.id).trim(),
        start: at(f, idx.start),
        duration: at(f, idx.duration),
        caller: at(f, idx.caller),
        called: at(f, idx.called),
        extension: at(f, idx.extension).trim(),
        direction: at(f, idx.direction),
        cost: at(f, idx.cost),
        disposition: null,
      };
      if (f.length < width) return { kind: 'bad', detail: `line has ${f.length} column${f.length === 1 ? '' : 's'}, the header has ${width}`, raw };
      return { kind: 'raw', raw };
    },
  });
}

function asteriskFormat(zone: string): FileFormat {
  return {
    name: 'asterisk',
    header: false,
    parseTime: (s) => parseIsoTime(s, zone),
    extract(f) {
      const n = f.length;
      const answer = at(f, 10).trim();
      const raw: RawCdr = {
        id: n === 21 ? `${f[16].trim()}#${f[20].trim()}` : '',
        start: answer !== '' ? answer : at(f, 9),
        duration: at(f, 13),
        caller: at(f, 1),
        called: at(f, 2),
        extension: '',
        direction: '',
        cost: '',
        disposition: at(f, 14).trim(),
      };
      if (n < 16 || n > 21 || n === 19 || n === 20) return { kind: 'bad', detail: `line has ${n} columns; an Asterisk Master.csv line has 16, 17, 18 or 21`, raw };
      // A 17th column is uniqueid (digits.digits) or userfield; either way, without sequence the
      // legs of a call share a uniqueid, so only 21-column files give a record an id.
      return { kind: 'raw', raw };
    },
  };
}

function freeswitchFormat(zone: string): FileFormat {
  return {
    name: 'freeswitch',
    header: false,
    parseTime: (s) => parseIsoTime(s, zone),
    extract(f) {
      const answer = at(f, 5).trim();
      const raw: RawCdr = {
        id: at(f, 10).trim(),
        start: answer !== '' ? answer : at(f, 4),
        duration: at(f, 8),
        caller: at(f, 1),
        called: at(f, 2),
        extension: '',
        direction: '',
        cost: '',
        disposition: null,
      };
      if (f.length < 15) return { kind: 'bad', detail: `line has ${f.length} columns; a FreeSWITCH example-template line has 15`, raw };
      return { kind: 'raw', raw };
    },
  };
}

interface CustomField {
  index: number;
  transform: CompiledExpr | null;
}

/** A format from CdrFormats rows; `header` is the file's first line when the format names columns. */
function customFormat(name: string, rows: CdrFormatRow[], header: string[] | null, defaultZone: string): Result<FileFormat, string> {
  const zoneRow = rows.find((r) => r.field === 'timezone');
  const zone = zoneRow ? zoneRow.column.trim() : defaultZone;
  const startRow = rows.find((r) => r.field === 'start');
  const parser = timeParser(startRow?.timeFormat ?? '', zone);
  if (typeof parser === 'string') return err(parser);
  const keys = header ? header.map(headerKey) : [];
  const names = header ?? [];
  const fields = new Map<string, CustomField>();
  for (const r of rows) {
    if (r.field === 'timezone') continue;
    let index: number;
    if (/^\d+$/.test(r.column.trim())) index = Number(r.column.trim()) - 1;
    else {
      index = keys.indexOf(headerKey(r.column));
      if (index < 0) return err(`format ${name}: the file has no column "${r.column}" for ${r.field}`);
    }
    let transform: CompiledExpr | null = null;
    if (r.transform.trim() !== '') {
      const c = compileExpression(r.transform, ['value', ...names.map(identifierFor)]);
      if (!c.ok) return err(`format ${name}, ${r.field}: ${c.error}`);
      transform = c.value;
    }
    fields.set(r.field, { index, transform });
  }
  const hasDisposition = fields.has('disposition');
  const width = Math.max(0, ...[...fields.values()].map((f) => f.index + 1));
  const scopeOf = (f: string[]): Record<string, unknown> => {
    const scope: Record<string, unknown> = {};
    names.forEach((n, i) => (scope[identifierFor(n)] = at(f, i)));
    return scope;
  };
  return ok({
    name,
    header: header !== null,
    parseTime: parser,
    extract(f) {
      let scope: Record<string, unknown> | null = null;
      let problem = '';
      const get = (field: string): string => {
        const spec = fields.get(field);
        if (!spec) return '';
        const value = at(f, spec.index);
        if (!spec.transform) return value;
        scope ??= scopeOf(f);
        scope.value = value;
        const r = spec.transform.evaluate(scope);
        if (!r.ok) {
          problem ||= `${field} Transform failed: ${r.error}`;
          return value;
        }
        return r.value === null || r.value === undefined ? '' : String(r.value);
      };
      const raw: RawCdr = {
        id: get('id').trim(),
        start: get('start'),
        duration: get('duration'),
        caller: get('caller'),
        called: get('called'),
        extension: get('extension').trim(),
        direction: get('direction'),
        cost: get('cost'),
        disposition: hasDisposition ? get('disposition').trim() : null,
      };
      if (f.length < width) return { kind: 'bad', detail: `line has ${f.length} columns; format ${name} reads column ${width}`, raw };
      if (problem) return { kind: 'bad', detail: problem, raw };
      return { kind: 'raw', raw };
    },
  });
}

function customFormats(rows: readonly CdrFormatRow[]): Map<string, CdrFormatRow[]> {
  const m = new Map<string, CdrFormatRow[]>();
  for (const r of rows) {
    const list = m.get(r.format) ?? [];
    list.push(r);
    m.set(r.format, list);
  }
  return m;
}

const namesColumns = (rows: CdrFormatRow[]): boolean => rows.some((r) => r.field !== 'timezone' && !/^\d+$/.test(r.column.trim()));

const looksLikeDateTime = (s: string): boolean => /^\s*\d{4}-\d\d-\d\d[ T]\d\d:\d\d/.test(s);

/** SPEC §5 detection order: generic header, a CdrFormats header, asterisk, freeswitch. */
export function detectFormat(first: (string[] | null)[], rawFirst: string[], formats: readonly CdrFormatRow[]): string | null {
  const head = first[0];
  if (!head) return null;
  const keys = new Set(head.map(headerKey));
  if (REQUIRED_GENERIC.every((k) => keys.has(k))) return 'generic';
  for (const [name, rows] of customFormats(formats)) {
    if (!namesColumns(rows)) continue;
    const named = rows.filter((r) => r.field !== 'timezone' && !/^\d+$/.test(r.column.trim()));
    if (named.every((r) => keys.has(headerKey(r.column)))) return name;
  }
  if (head.length >= 16 && head.length <= 21 && looksLikeDateTime(head[9] ?? '')) return 'asterisk';
  if (head.length === 15 && /^\s*"/.test(rawFirst[0] ?? '') && rawFirst[0].split('","').length >= 15) return 'freeswitch';
  return null;
}

/** The format a file is read with, given its first line (the header, for formats that have one). */
export function compileFormat(name: string, first: string[] | null, formats: readonly CdrFormatRow[], zone: string): Result<FileFormat, string> {
  switch (name) {
    case 'generic':
      return first ? genericFormat(first, zone) : err('the file is empty');
    case 'asterisk':
      return ok(asteriskFormat(zone));
    case 'freeswitch':
      return ok(freeswitchFormat(zone));
  }
  const rows = customFormats(formats).get(name);
  if (!rows) return err(`unknown format "${name}" (built in: ${BUILT_IN_FORMATS.join(', ')}; the workbook's CdrFormats define: ${[...customFormats(formats).keys()].join(', ') || 'none'})`);
  return customFormat(name, rows, namesColumns(rows) ? first ?? [] : null, zone);
}
