// The rating fast lane: one plain CSV line (a format with `plain` columns: generic) read in place
// in the reader's chunk and rated with no field strings, no Cdr or Owner object and no row string
// (a RatedCall only for the billing run, which keeps them) — the usual outbound call, priced by
// rate, markup or fallback. Whatever is not usual (a quote, a space at a field's edge, a number
// typed with punctuation or over 15 digits, an inbound call, an extension, a clock-change time, a
// number with member assignments, any exception) makes it answer false, and the line takes the
// full path (rate-line.ts), which then decides everything about it. Where the lane had read the
// whole line before declining (the call has no owner or no price, say), or found its duration
// negative, declined() hands the full path that reading instead of the line to split and mediate
// again. So the lane may only ever say what the full path would say: a property test holds the
// two to the same bytes and results.
//
// It reuses the full path's pieces: the ISO grammar (isoMsAt), the claim choice (pickClaim), the
// number and prefix indexes, the rate walk (rateCharge); what it adds is reading digits in place.

import type { Cdr, PriceMethod, RatedCall } from '../cdr/cdr.js';
import type { PlainColumns } from '../cdr/cdr-format.js';
import { isoMsAt, lastIsoNote } from '../cdr/cdr-format.js';
import { addPercent, plainMicroAt, ROUNDINGS, type Micro } from '../money.js';
import { badDuration, DURATION_NEGATIVE, DURATION_TOO_LARGE, parseDirectionAt, parseDurationAt, type Invalid } from '../cdr/mediate.js';
import { pickClaim } from './owner.js';
import { billedByRate, rateCharge } from './price.js';
import {
  C_DECIMALS,
  C_FALLBACK,
  C_MARKUP,
  C_ROUNDING,
  C_SIZE,
  C_TARIFF,
  CLASS_COUNT,
  destClassIdx,
  destNameId,
  E_ACCOUNT_END,
  E_ARCHIVED,
  E_BYTES,
  E_CHAIN,
  E_FLAGS,
  E_FRAUD,
  E_NUMBER_END,
  E_SITE_END,
  E_SIZE,
  NO_CLAIM,
  REF_ACCOUNT,
  REF_NUMBER,
  REF_SITE,
  REF_SIZE,
  type RatingModel,
} from './rating-model.js';
import { FieldArena, putBytes } from './field-arena.js';
import { fieldBytes, putInt, putLocalIso, putMicro, putMicroShort, type RowBytes } from './row-bytes.js';
import { CALL_CLASSES } from '../workbook/rows.js';
import { bandIdAt } from './timeband.js';

const DAY_MS = 86_400_000;
/** What the lane read of a line it declined (see declined()). */
const READ_NONE = 0;
const READ_DURATION = 1;
const READ_WHOLE = 2;
const COMMA = 44;
const BAR = 124;
const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);
/** Digits a number may have to be looked up by value (exact in a double). */
const MAX_DIGITS = 15;
/** First characters a spreadsheet may run as a formula (csv.ts isRisky decides for those). */
const RISKY = new Uint8Array(128);
for (const c of [61, 43, 45, 64]) RISKY[c] = 1;

const ROW_TAIL = [',rate\n', ',markup\n', ',fallback\n'].map((t) => Uint8Array.from(t, (c) => c.charCodeAt(0)));
const M_RATE = 0;
const M_MARKUP = 1;
const M_FALLBACK = 2;
const METHODS: readonly PriceMethod[] = ['rate', 'markup', 'fallback'];

/** What the lane leaves for the batch about a line it rated. */
export interface LaneAnswer {
  startMs: number;
  duration: number;
  day: number;
  charge: Micro;
  /** NaN for no cost. */
  cost: number;
  /** The owning number when the fraud rules count it, as NumberIds keeps it (10^digits + the number), else NaN ... */
  fraudValue: number;
  /** ... or, when it is not such a number (an AltCdrNumber's row Number), its text; else ''. */
  fraudText: string;
  /** ... or, first of all, the model's fraud id of a single-number row's Number (entryData's E_FRAUD), else -1. */
  fraudId: number;
  /** The rated call as the full path makes it, when the lane keeps calls (the billing run); else null. */
  call: RatedCall | null;
}

export class PlainLane {
  /** Field starts and ends of the line being read. */
  private readonly from: Int32Array;
  private readonly to: Int32Array;
  private readonly width: number;
  private readonly cc: string;
  private readonly np: string;
  private readonly ip: string;
  private readonly shortDigits: number;
  private readonly fraudOn: boolean;
  private readonly fileBytes: Uint8Array;
  // Names written on every row, as their field bytes (made on first use).
  private readonly dests: FieldArena;
  private readonly tariffs: FieldArena;
  private readonly bands: FieldArena;
  private readonly classes: Uint8Array[] = CALL_CLASSES.map((c) => Uint8Array.from(c, (ch) => ch.charCodeAt(0)));
  // The two numbers of the line being read: digits, where the text's part starts, and whether
  // CountryCode comes first (the national prefix was replaced).
  private readonly callerD = new Uint8Array(MAX_DIGITS);
  private readonly calledD = new Uint8Array(MAX_DIGITS);
  private numFrom = 0;
  private numLead = false;
  private numShort = false;
  private numValue = 0;
  // What the lane read of the line it last declined (declined() makes it the full path's Cdr or
  // INVALID_RECORD): nothing usable, a duration mediation refuses, or every field mediation reads.
  private read = READ_NONE;
  private readText = '';
  private readFrom = 0;
  // The first quote at or after the line being read in quoteText (its length when none): found
  // once per quote, as the reader does, rather than searched for in every line.
  private quoteText = '';
  private quoteAt = -1;
  private startMs = 0;
  /** The duration read, or parseDurationAt's code for a bad one (READ_DURATION). */
  private duration = 0;
  private callerFrom = 0;
  private callerLead = false;
  private calledFrom = 0;
  private calledLead = false;
  private calledShort = false;
  private cost = NaN;
  readonly answer: LaneAnswer = { startMs: 0, duration: 0, day: 0, charge: 0, cost: NaN, fraudValue: NaN, fraudText: '', fraudId: -1, call: null };

  private constructor(
    private readonly model: RatingModel,
    private readonly cols: PlainColumns,
    private readonly zone: string,
    private readonly file: string,
    private readonly keepCalls: boolean,
  ) {
    this.width = cols.width;
    this.from = new Int32Array(cols.width);
    this.to = new Int32Array(cols.width);
    const plan = model.plan;
    this.cc = plan.countryCode;
    this.np = plan.nationalPrefix;
    this.ip = plan.internationalPrefix;
    this.shortDigits = plan.shortCodeDigits;
    const s = model.settings;
    this.fraudOn = s.fraudMaxCallsPerMinute > 0 || (s.fraudShortCallSeconds > 0 && s.fraudShortCallsPerDay > 0);
    this.fileBytes = fieldBytes(file);
    this.dests = new FieldArena(model.destinationNames.length);
    this.tariffs = new FieldArena(model.tariffNames.length);
    this.bands = new FieldArena(model.bands.names.length);
  }

  /**
   * A lane for a file of this format, or null when the format is not plain or the plan has a
   * CountryCode that is not digits. `keepCalls`: make each call's RatedCall too (the billing run).
   */
  static for(model: RatingModel, cols: PlainColumns | undefined, zone: string, file: string, keepCalls = false): PlainLane | null {
    if (cols === undefined || cols.start < 0 || cols.duration < 0 || cols.caller < 0 || cols.called < 0) return null;
    if (!/^[0-9]*$/.test(model.plan.countryCode)) return null;
    return new PlainLane(model, cols, zone, file, keepCalls);
  }

  /**
   * Rates the line s[a, b) (its text, CR dropped; s is the reader's chunk, read in place) numbered
   * `line`: true when rated, its rated.csv row written to `out`, its dedupe key's text (dedupe.ts
   * dedupeKey, ASCII) to `keys` and the rest in `answer`; false (nothing written) when the full
   * path must take it.
   */
  rate(s: string, a: number, b: number, line: number, out: RowBytes, keys: RowBytes): boolean {
    this.read = READ_NONE;
    if (!this.split(s, a, b)) return false;
    const cols = this.cols;
    const from = this.from;
    const to = this.to;
    const model = this.model;

    // Step 1, the usual shapes only.
    const sf = from[cols.start];
    const st = to[cols.start];
    if (st === sf || s.charCodeAt(sf) === 32 || s.charCodeAt(st - 1) === 32) return false;
    const startMs = isoMsAt(s, sf, st, this.zone);
    // Before 1970 the dedupe key's start has a sign: the full path writes it.
    if (!(startMs >= 0) || lastIsoNote() !== null) return false;
    // Mediation's own readers, on the field in place (a space at an edge fails them: no trimming here).
    const duration = parseDurationAt(s, from[cols.duration], to[cols.duration]);
    if (duration < 0) {
      // A negative or too large duration is never the field's spaces (those read as not a number).
      if (duration === DURATION_NEGATIVE || duration === DURATION_TOO_LARGE) this.note(READ_DURATION, s, a, startMs, duration);
      return false;
    }
    if (cols.direction >= 0 && parseDirectionAt(s, from[cols.direction], to[cols.direction]) !== 'out') return false;
    if (cols.extension >= 0 && to[cols.extension] > from[cols.extension]) return false;
    let cost = NaN;
    if (cols.cost >= 0 && to[cols.cost] > from[cols.cost]) {
      cost = plainMicroAt(s, from[cols.cost], to[cols.cost]);
      if (cost < 0) return false;
    }
    let idFrom = 0;
    let idTo = 0;
    if (cols.id >= 0) {
      idFrom = from[cols.id];
      idTo = to[cols.id];
      if (idTo > idFrom && (s.charCodeAt(idFrom) === 32 || s.charCodeAt(idTo - 1) === 32)) return false;
    }
    const callerLen = this.normalise(s, from[cols.caller], to[cols.caller], this.callerD);
    if (callerLen < 0) return false;
    const callerFrom = this.numFrom;
    const callerLead = this.numLead;
    const x = this.numValue;
    const calledLen = this.normalise(s, from[cols.called], to[cols.called], this.calledD);
    if (calledLen < 0) return false;
    const calledShort = this.numShort;
    // Every field mediation reads is read: should rating decline from here, declined() has the Cdr.
    this.note(READ_WHOLE, s, a, startMs, duration);
    this.callerFrom = callerFrom;
    this.callerLead = callerLead;
    this.calledFrom = this.numFrom;
    this.calledLead = this.numLead;
    this.calledShort = calledShort;
    this.cost = cost;

    // Steps 3–4: outbound, blank extension.
    const localMs = model.clock.local(startMs);
    const day = Math.floor(localMs / DAY_MS);
    const numbers = model.numbers;
    const chosen = pickClaim(model, numbers.exactCodeOf(x, callerLen), numbers.rangeCodeOf(x, callerLen), 1, day, 0);
    if (chosen === NO_CLAIM) return false;
    const index = chosen >> 1;
    const data = model.entryData;
    const o = index * E_SIZE;
    // Any flag (no customer, member assignments) and an archived customer: the full path says it.
    if (data[o + E_FLAGS] !== 0 || day > data[o + E_ARCHIVED]) return false;
    const alt = (chosen & 1) === 1;
    const chainSet = data[o + E_CHAIN];

    // Steps 6–10.
    const dest = calledShort ? model.servicePrefixes.longestDigits(this.calledD, calledLen) : model.prefixes.longestDigits(this.calledD, calledLen);
    if (dest < 0) return false;
    const nameId = destNameId(dest);
    const classIdx = destClassIdx(dest);
    const cd = model.chainData;
    const c = (chainSet * CLASS_COUNT + classIdx) * C_SIZE;
    const tariffIdx = cd[c + C_TARIFF];
    const decimals = cd[c + C_DECIMALS];
    const rounding = ROUNDINGS[cd[c + C_ROUNDING]];
    const band = bandIdAt(model.bands, localMs);
    const rates = model.rates;
    const group = rates.group(tariffIdx, nameId);
    const w = rates.rateOn(group, band, day);
    let method: number;
    let billed: number;
    let charge: number;
    if (w >= 0) {
      method = M_RATE;
      if (duration <= 0) {
        billed = 0;
        charge = 0;
      } else {
        charge = rateCharge(model, w, duration, group, startMs, day, decimals, rounding);
        billed = billedByRate();
      }
    } else {
      const markup = cd[c + C_MARKUP];
      const pct = markup === markup ? markup : cd[c + C_FALLBACK];
      if (cost !== cost || pct !== pct) return false;
      method = markup === markup ? M_MARKUP : M_FALLBACK;
      billed = duration;
      charge = duration <= 0 ? 0 : addPercent(cost, pct, decimals, rounding);
    }

    // The rated.csv row, as writeRatedRow writes it, with the buffer in hand: names come from
    // arenas of their field bytes (made on first use), everything else is written in place.
    const dests = this.dests;
    if (!dests.has(nameId)) dests.add(nameId, model.destinationNames[nameId]);
    const tariffs = this.tariffs;
    if (tariffIdx >= 0 && !tariffs.has(tariffIdx)) tariffs.add(tariffIdx, model.tariffNames[tariffIdx]);
    const bands = this.bands;
    if (!bands.has(band)) bands.add(band, model.bands.names[band]);
    const idLen = idTo - idFrom;
    const risky = idLen > 0 && RISKY[s.charCodeAt(idFrom)] === 1;
    // Room for the whole row: the names' bytes, the id (quoted, at worst), and 256 for the rest.
    const bytesFrom = data[o + E_BYTES];
    const accountEnd = data[o + E_ACCOUNT_END];
    const siteEnd = data[o + E_SITE_END];
    const numberEnd = data[o + E_NUMBER_END];
    const da = dests.at;
    const ba = bands.at;
    const ta = tariffs.at;
    const rowStart = out.pos;
    out.ensure(
      256 + this.fileBytes.length + idLen * 6 + (numberEnd - bytesFrom) + (da[nameId * 2 + 1] - da[nameId * 2]) + (ba[band * 2 + 1] - ba[band * 2]) +
        (tariffIdx >= 0 ? ta[tariffIdx * 2 + 1] - ta[tariffIdx * 2] : 0),
    );
    let buf = out.buf;
    let p = putBytes(buf, out.pos, this.fileBytes, 0, this.fileBytes.length);
    buf[p++] = COMMA;
    p = putInt(buf, p, line);
    buf[p++] = COMMA;
    if (risky) {
      out.pos = p;
      out.field(s.slice(idFrom, idTo));
      p = out.pos;
      buf = out.buf;
    } else for (let i = idFrom; i < idTo; i++) buf[p++] = s.charCodeAt(i);
    buf[p++] = COMMA;
    p = putLocalIso(buf, p, startMs, localMs - startMs);
    if (p < 0) {
      out.pos = rowStart; // a local year past 9999: the full path writes it
      return false;
    }
    buf[p++] = COMMA;
    buf[p++] = 111; // out
    buf[p++] = 117;
    buf[p++] = 116;
    buf[p++] = COMMA;
    const cd1 = this.callerD;
    for (let i = 0; i < callerLen; i++) buf[p++] = 48 + cd1[i];
    buf[p++] = COMMA;
    const cd2 = this.calledD;
    for (let i = 0; i < calledLen; i++) buf[p++] = 48 + cd2[i];
    buf[p++] = COMMA; // a blank extension
    buf[p++] = COMMA;
    const ob = model.ownerBytes;
    p = putBytes(buf, p, ob, bytesFrom, accountEnd);
    buf[p++] = COMMA;
    if (alt) p = putBytes(buf, p, ob, siteEnd, numberEnd);
    else for (let i = 0; i < callerLen; i++) buf[p++] = 48 + cd1[i];
    buf[p++] = COMMA;
    p = putBytes(buf, p, ob, accountEnd, siteEnd);
    buf[p++] = COMMA;
    p = putBytes(buf, p, dests.bytes, da[nameId * 2], da[nameId * 2 + 1]);
    buf[p++] = COMMA;
    const cls = this.classes[classIdx];
    p = putBytes(buf, p, cls, 0, cls.length);
    buf[p++] = COMMA;
    p = putBytes(buf, p, bands.bytes, ba[band * 2], ba[band * 2 + 1]);
    buf[p++] = COMMA;
    if (tariffIdx >= 0) p = putBytes(buf, p, tariffs.bytes, ta[tariffIdx * 2], ta[tariffIdx * 2 + 1]);
    buf[p++] = COMMA;
    p = putInt(buf, p, duration);
    buf[p++] = COMMA;
    p = putInt(buf, p, billed);
    buf[p++] = COMMA;
    p = putMicro(buf, p, charge, decimals);
    buf[p++] = COMMA;
    if (cost === cost) p = putMicroShort(buf, p, cost);
    const tail = ROW_TAIL[method];
    out.pos = putBytes(buf, p, tail, 0, tail.length);

    const ans = this.answer;
    ans.startMs = startMs;
    ans.duration = duration;
    ans.day = day;
    ans.charge = charge;
    ans.cost = cost;
    if (idTo > idFrom) {
      keys.byte(105); // i
      keys.ascii(s, idFrom, idTo);
    } else {
      keys.byte(116); // t
      keys.digits(this.callerD, callerLen);
      keys.byte(BAR);
      keys.digits(this.calledD, calledLen);
      keys.byte(BAR);
      if (startMs % 1000 === 0) keys.int(startMs / 1000);
      else {
        keys.int(startMs);
        keys.raw('ms');
      }
      keys.byte(BAR);
      keys.int(duration);
    }
    ans.call = this.keepCalls ? this.callOf(s, line, idFrom, idTo, startMs, duration, billed, charge, decimals, cost, method, callerFrom, callerLead, index, alt, nameId, classIdx, band, tariffIdx) : null;
    ans.fraudValue = NaN;
    ans.fraudText = '';
    ans.fraudId = -1;
    if (this.fraudOn) {
      // The owning number: a single-number row's Number by its id (alternate or not), a range's
      // member by value, an alternate of a range by its row's Number.
      const id = data[o + E_FRAUD];
      if (id >= 0) ans.fraudId = id;
      else if (alt) ans.fraudText = model.ownerRefs[index * REF_SIZE + REF_NUMBER];
      else ans.fraudValue = POW10[callerLen] + x;
    }
    return true;
  }

  private note(read: number, s: string, a: number, startMs: number, duration: number): void {
    this.read = read;
    this.readText = s;
    this.readFrom = a;
    this.startMs = startMs;
    this.duration = duration;
  }

  /**
   * What mediation makes of the line s[a, …) (numbered `line`), which rate() has just declined, when
   * the lane read enough of it to say: its Cdr, or its INVALID_RECORD for a bad duration; null when
   * the full path must read the line itself.
   */
  declined(s: string, a: number, line: number): Cdr | Invalid | null {
    if (this.read === READ_NONE || a !== this.readFrom || s !== this.readText) return null;
    const cols = this.cols;
    const from = this.from;
    const to = this.to;
    const id = cols.id < 0 ? '' : s.slice(from[cols.id], to[cols.id]);
    if (this.read === READ_DURATION) {
      // INVALID_RECORD shows the id as extract() trims it: the lane's split allows no character below a space.
      if (id !== '' && (id.charCodeAt(0) === 32 || id.charCodeAt(id.length - 1) === 32)) return null;
      return {
        kind: 'invalid',
        detail: badDuration(s.slice(from[cols.duration], to[cols.duration]), this.duration),
        id,
        startMs: this.startMs,
        caller: s.slice(from[cols.caller], to[cols.caller]).trim(),
        called: s.slice(from[cols.called], to[cols.called]).trim(),
        duration: null,
      };
    }
    const callerEnd = to[cols.caller];
    const calledEnd = to[cols.called];
    const cc = this.cc;
    return {
      kind: 'cdr',
      file: this.file,
      line,
      id,
      startMs: this.startMs,
      duration: this.duration,
      // A plain format has no disposition: a call with seconds was answered.
      answered: this.duration > 0,
      caller: s.slice(from[cols.caller], callerEnd),
      called: s.slice(from[cols.called], calledEnd),
      callerN: this.callerLead ? cc + s.slice(this.callerFrom, callerEnd) : s.slice(this.callerFrom, callerEnd),
      calledN: this.calledLead ? cc + s.slice(this.calledFrom, calledEnd) : s.slice(this.calledFrom, calledEnd),
      calledShort: this.calledShort,
      extension: '',
      direction: 'out',
      cost: this.cost === this.cost ? this.cost : null,
    };
  }

  /** The RatedCall priceCall makes of the line just rated (its texts made only here). */
  private callOf(
    s: string, line: number, idFrom: number, idTo: number, startMs: number, duration: number, billed: number, charge: number, decimals: number, cost: number,
    method: number, callerFrom: number, callerLead: boolean, index: number, alt: boolean, nameId: number, classIdx: number, band: number, tariffIdx: number,
  ): RatedCall {
    const model = this.model;
    const refs = model.ownerRefs;
    const r = index * REF_SIZE;
    const callerEnd = this.to[this.cols.caller];
    const caller = callerLead ? this.cc + s.slice(callerFrom, callerEnd) : s.slice(callerFrom, callerEnd);
    const calledEnd = this.to[this.cols.called];
    const called = this.numLead ? this.cc + s.slice(this.numFrom, calledEnd) : s.slice(this.numFrom, calledEnd);
    return {
      file: this.file,
      line,
      id: s.slice(idFrom, idTo),
      startMs,
      direction: 'out',
      caller,
      called,
      extension: '',
      account: refs[r + REF_ACCOUNT],
      number: alt ? refs[r + REF_NUMBER] : caller,
      site: refs[r + REF_SITE],
      destination: model.destinationNames[nameId],
      callClass: CALL_CLASSES[classIdx],
      band: model.bands.names[band],
      tariff: tariffIdx < 0 ? '' : model.tariffNames[tariffIdx],
      duration,
      billedSeconds: billed,
      charge,
      chargeDecimals: decimals,
      cost: cost === cost ? cost : null,
      method: METHODS[method],
    };
  }

  /**
   * Finds the fields of a line with no quote and at least the header's columns. Only the id is
   * copied to the row as it stands, so only its characters are checked here (printable ASCII,
   * no space at an edge); every other field the lane reads is parsed strictly, which refuses the rest.
   */
  private split(s: string, a: number, b: number): boolean {
    if (s !== this.quoteText || this.quoteAt < a) {
      const q = s.indexOf('"', a);
      this.quoteText = s;
      this.quoteAt = q < 0 ? s.length : q;
    }
    if (this.quoteAt < b) return false;
    const from = this.from;
    const to = this.to;
    const width = this.width;
    let at = a;
    for (let f = 0; f < width; f++) {
      if (at > b) return false;
      let c = s.indexOf(',', at);
      if (c < 0 || c > b) c = b;
      from[f] = at;
      to[f] = c;
      at = c + 1;
    }
    const id = this.cols.id;
    if (id >= 0) {
      const end = to[id];
      for (let i = from[id]; i < end; i++) {
        const c = s.charCodeAt(i);
        if (c < 32 || c > 126) return false;
      }
    }
    return true;
  }

  /**
   * N() of s[i, end) into d (phone.ts normalisePhone's rules) when it is digits after an optional
   * `+`, at most 15 of them once normalised: the length, with where the text's part starts, whether
   * CountryCode leads, the short-code flag and the value left in the fields; -1 otherwise.
   */
  private normalise(s: string, i: number, end: number, d: Uint8Array): number {
    const plus = i < end && s.charCodeAt(i) === 43;
    if (plus) i++;
    for (let k = i; k < end; k++) {
      const c = s.charCodeAt(k);
      if (c < 48 || c > 57) return -1;
    }
    const cc = this.cc;
    const np = this.np;
    const ip = this.ip;
    let viaRule = plus;
    let lead = false;
    if (!plus) {
      if (ip !== '' && has(s, i, end, ip)) {
        i += ip.length;
        viaRule = true;
      } else if (np !== '' && has(s, i, end, np)) {
        i += np.length;
        lead = true;
        viaRule = true;
      }
    }
    if (viaRule && !lead && np !== '' && has(s, i, end, cc) && has(s, i + cc.length, end, np)) {
      i += cc.length + np.length;
      lead = true;
    }
    const len = (lead ? cc.length : 0) + end - i;
    if (len === 0 || len > MAX_DIGITS) return -1;
    let p = 0;
    let x = 0;
    if (lead) {
      for (let k = 0; k < cc.length; k++) {
        const v = cc.charCodeAt(k) - 48;
        d[p++] = v;
        x = x * 10 + v;
      }
    }
    for (let k = i; k < end; k++) {
      const v = s.charCodeAt(k) - 48;
      d[p++] = v;
      x = x * 10 + v;
    }
    this.numFrom = i;
    this.numLead = lead;
    this.numValue = x;
    this.numShort = !viaRule && this.shortDigits > 0 && len <= this.shortDigits;
    return len;
  }
}

/** s[i, end) starts with p. */
function has(s: string, i: number, end: number, p: string): boolean {
  if (end - i < p.length) return false;
  for (let k = 0; k < p.length; k++) if (s.charCodeAt(i + k) !== p.charCodeAt(k)) return false;
  return true;
}
