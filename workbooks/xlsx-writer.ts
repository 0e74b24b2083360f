// Spreadsheets written as their XML and zipped by zip-writer.ts: exceljs's streaming writer
// manages about 10,000 rows a second here (0.5 s of a million-line rating run went on the 10,000
// rows of its exceptions.xlsx, and 10,000 invoices took nearly three minutes); writing the XML
// directly is four to ten times faster. A sheet is rows of cells: text is always an inline string cell
// (never a formula, so nothing a user typed can run), a number a number cell in its format; a row
// may be bold. LibreOffice opens the files; the tests read them back with exceljs and our own reader.

import { zipArchive, type ZipEntry } from './zip-writer.js';

export interface XlsxRow {
  /** Text (always a text cell), a number, or null for an empty cell. */
  cells: readonly (string | number | null)[];
  bold?: boolean;
  /** Number format of each number cell (`0.00`), null or absent for General. */
  formats?: readonly (string | null)[];
}

export interface XlsxSheet {
  /** Already valid as an Excel sheet name (see sheetName). */
  name: string;
  /** Column widths in characters. */
  widths: readonly number[];
  rows: Iterable<XlsxRow>;
  /** Row 1 is a header: frozen, with filters on `widths.length` columns. */
  header?: boolean;
  /** Printed on A4 portrait, one page wide. */
  a4?: boolean;
}

/** Excel's sheet-name rules: at most 31 characters, none of []:*?/\ , unique. */
export function sheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, ' ').trim().slice(0, 31) || 'Sheet';
  let n = base;
  for (let i = 2; taken.has(n.toLowerCase()); i++) n = `${base.slice(0, 31 - String(i).length - 1)} ${i}`;
  taken.add(n.toLowerCase());
  return n;
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';

/**
 * Text as XML character data. Characters XML 1.0 cannot hold (controls other than tab, LF and CR;
 * U+FFFE, U+FFFF) are written as Excel's `_xHHHH_` escapes, and a literal `_xHHHH_` in the text
 * gets its underscore escaped, so Excel shows the text as it was; a lone surrogate becomes U+FFFD.
 */
export function xmlText(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[&<>"\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]|_x[0-9a-fA-F]{4}_/.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 38) out += '&amp;';
    else if (c === 60) out += '&lt;';
    else if (c === 62) out += '&gt;';
    else if (c === 34) out += '&quot;';
    else if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffe || c === 0xffff) out += `_x${c.toString(16).toUpperCase().padStart(4, '0')}_`;
    else if (c === 95 && /^_x[0-9a-fA-F]{4}_/.test(s.slice(i, i + 7))) out += '_x005F_';
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += s[i] + s[i + 1];
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) out += '\ufffd';
    else out += s[i];
  }
  return out;
}

/** A = 1, Z = 26, AA = 27. */
export function columnLetters(n: number): string {
  let s = '';
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Cell styles (xf): 0 plain, then one per (bold, number format) in first-use order. */
class Styles {
  private readonly formats: string[] = [];
  private readonly xfs: { bold: boolean; format: number }[] = [{ bold: false, format: -1 }];
  private readonly index = new Map<string, number>([['0|', 0]]);

  of(bold: boolean, format: string | null | undefined): number {
    const key = `${bold ? 1 : 0}|${format ?? ''}`;
    let xf = this.index.get(key);
    if (xf === undefined) {
      let f = -1;
      if (format) {
        f = this.formats.indexOf(format);
        if (f < 0) f = this.formats.push(format) - 1;
      }
      xf = this.xfs.push({ bold, format: f }) - 1;
      this.index.set(key, xf);
    }
    return xf;
  }

  xml(): string {
    const fmts = this.formats.map((f, i) => `<numFmt numFmtId="${164 + i}" formatCode="${xmlText(f)}"/>`).join('');
    const xfs = this.xfs
      .map((x) => `<xf numFmtId="${x.format < 0 ? 0 : 164 + x.format}" fontId="${x.bold ? 1 : 0}" fillId="0" borderId="0" xfId="0"${x.format < 0 ? '' : ' applyNumberFormat="1"'}${x.bold ? ' applyFont="1"' : ''}/>`)
      .join('');
    return (
      XML_HEAD +
      `<styleSheet xmlns="${MAIN_NS}">` +
      (this.formats.length > 0 ? `<numFmts count="${this.formats.length}">${fmts}</numFmts>` : '') +
      '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
      '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
      '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      `<cellXfs count="${this.xfs.length}">${xfs}</cellXfs>` +
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
      '</styleSheet>'
    );
  }
}

const styleAttr = (s: number): string => (s ? ` s="${s}"` : '');

/** One worksheet's XML. */
function sheetXml(sheet: XlsxSheet, styles: Styles, first: boolean): string {
  const letters: string[] = [];
  const letter = (i: number): string => (letters[i] ??= columnLetters(i + 1));
  const out: string[] = [XML_HEAD, `<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">`];
  if (sheet.a4) out.push('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>');
  out.push(
    `<sheetViews><sheetView${first ? ' tabSelected="1"' : ''} workbookViewId="0">` +
      (sheet.header ? '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/>' : '') +
      '</sheetView></sheetViews>',
    '<sheetFormatPr defaultRowHeight="15"/>',
  );
  if (sheet.widths.length > 0) out.push(`<cols>${sheet.widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('')}</cols>`);
  out.push('<sheetData>');
  let r = 0;
  for (const row of sheet.rows) {
    r++;
    const bold = row.bold === true;
    const text = bold ? styles.of(true, null) : 0;
    let cells = '';
    for (let i = 0; i < row.cells.length; i++) {
      const cell = row.cells[i];
      if (cell === null || cell === '') continue;
      const ref = letter(i) + r;
      if (typeof cell === 'number' && Number.isFinite(cell)) {
        cells += `<c r="${ref}"${styleAttr(styles.of(bold, row.formats?.[i]))}><v>${cell}</v></c>`;
        continue;
      }
      // Text, and a number a cell cannot hold (NaN, Infinity) as its text.
      const v = String(cell);
      cells += `<c r="${ref}"${styleAttr(text)} t="inlineStr"><is><t${/^\s|\s$/.test(v) ? ' xml:space="preserve"' : ''}>${xmlText(v)}</t></is></c>`;
    }
    out.push(`<row r="${r}">${cells}</row>`);
  }
  out.push('</sheetData>');
  if (sheet.header && sheet.widths.length > 0) out.push(`<autoFilter ref="A1:${letter(sheet.widths.length - 1)}1"/>`);
  if (sheet.a4) out.push('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/><pageSetup paperSize="9" orientation="portrait" fitToWidth="1" fitToHeight="0"/>');
  out.push('</worksheet>');
  return out.join('');
}

/** The .xlsx package of these sheets, as bytes. `creator` goes in its document properties. */
export function xlsxBytes(sheets: readonly XlsxSheet[], creator = 'Ratebook'): Buffer {
  const styles = new Styles();
  const names = sheets.map((s) => s.name);
  const xml = sheets.map((s, i) => sheetXml(s, styles, i === 0));
  const quoted = (n: string): string => `'${n.replace(/'/g, "''")}'`;
  const filters = sheets
    .map((s, i) => (s.header && s.widths.length > 0 ? `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${xmlText(quoted(names[i]))}!$A$1:$${columnLetters(s.widths.length)}$1</definedName>` : ''))
    .join('');
  const workbook =
    XML_HEAD +
    `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><bookViews><workbookView/></bookViews><sheets>` +
    names.map((n, i) => `<sheet name="${xmlText(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
    '</sheets>' +
    (filters ? `<definedNames>${filters}</definedNames>` : '') +
    '</workbook>';
  const workbookRels =
    XML_HEAD +
    `<Relationships xmlns="${PKG_REL_NS}">` +
    names.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
    `<Relationship Id="rId${names.length + 1}" Type="${REL_NS}/styles" Target="styles.xml"/>` +
    '</Relationships>';
  const contentTypes =
    XML_HEAD +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    names.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('') +
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
    '</Types>';
  const rootRels =
    XML_HEAD +
    `<Relationships xmlns="${PKG_REL_NS}">` +
    `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/>` +
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
    '</Relationships>';
  const core =
    XML_HEAD +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">' +
    `<dc:creator>${xmlText(creator)}</dc:creator></cp:coreProperties>`;
  const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');
  const entries: ZipEntry[] = [
    { name: '[Content_Types].xml', data: utf8(contentTypes) },
    { name: '_rels/.rels', data: utf8(rootRels) },
    { name: 'docProps/core.xml', data: utf8(core) },
    { name: 'xl/workbook.xml', data: utf8(workbook) },
    { name: 'xl/_rels/workbook.xml.rels', data: utf8(workbookRels) },
    ...xml.map((x, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data: utf8(x) })),
    // Styles last: the sheets above chose them.
    { name: 'xl/styles.xml', data: utf8(styles.xml()) },
  ];
  return zipArchive(entries);
}
