// Local civil time <-> instants in an IANA zone, with Intl only (no I/O, no zone database of ours).
// Offsets are cached per zone and hour, so the rating loop pays a Map lookup, not an Intl call.

const HOUR = 3_600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();

export function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's offset from UTC in ms at an instant (zone changes happen on whole hours UTC here). */
export function zoneOffsetMs(zone: string, utcMs: number): number {
  // Calls come in time order: most lookups repeat the last one.
  const bucket0 = Math.floor(utcMs / 900_000);
  if (bucket0 === lastBucket && zone === lastZone) return lastOffset;
  const offset = offsetFor(zone, utcMs);
  lastBucket = bucket0;
  lastZone = zone;
  lastOffset = offset;
  return offset;
}

let lastBucket = NaN;
let lastZone = '';
let lastOffset = 0;

function offsetFor(zone: string, utcMs: number): number {
  let cache = offsetCache.get(zone);
  if (!cache) {
    cache = new Map();
    offsetCache.set(zone, cache);
  }
  // Offsets change only at quarter hours (all zones in use); cache by 15 minutes.
  const bucket = Math.floor(utcMs / 900_000);
  const hit = cache.get(bucket);
  if (hit !== undefined) return hit;
  const parts = formatterFor(zone).formatToParts(new Date(bucket * 900_000));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const offset = asUtc - bucket * 900_000;
  if (cache.size > 200_000) cache.clear();
  cache.set(bucket, offset);
  return offset;
}

export type LocalNote = 'ambiguous' | 'gap' | null;

/**
 * A naive local time to an instant (SPEC §2): an ambiguous time at the autumn change is its first
 * occurrence; a time in the spring gap moves forward by the gap. `note` says which happened.
 */
const localHourCache = new Map<string, Map<number, number>>();
const NO_FAST = Number.NaN;

export function localToUtc(zone: string, localAsUtcMs: number): { utcMs: number; note: LocalNote } {
  // Most local hours map to one offset: remember it per hour; hours near a change take the long way.
  const hour = Math.floor(localAsUtcMs / HOUR);
  let cache = localHourCache.get(zone);
  if (!cache) localHourCache.set(zone, (cache = new Map()));
  const known = cache.get(hour);
  if (known !== undefined && !Number.isNaN(known)) return { utcMs: localAsUtcMs - known, note: null };
  const r = localToUtcSlow(zone, localAsUtcMs);
  if (known === undefined) {
    const a = localToUtcSlow(zone, hour * HOUR);
    const b = localToUtcSlow(zone, hour * HOUR + HOUR - 1);
    const steady = a.note === null && b.note === null && hour * HOUR - a.utcMs === hour * HOUR + HOUR - 1 - b.utcMs;
    if (cache.size > 100_000) cache.clear();
    cache.set(hour, steady ? hour * HOUR - a.utcMs : NO_FAST);
  }
  return r;
}

/**
 * localToUtc without an object: the instant, with the note left in localNote(). Most local hours
 * map to one offset and need no more than a lookup (the rating fast lane calls this per line).
 */
export function localToUtcMs(zone: string, localAsUtcMs: number): number {
  const hour = Math.floor(localAsUtcMs / HOUR);
  if (zone === hoursZone) {
    const i = hour - hoursBase;
    if (i >= 0 && i < HOURS) {
      const off = hourOffsets[i];
      if (off === off) {
        lastNote = null;
        return localAsUtcMs - off;
      }
    }
  }
  const r = localToUtc(zone, localAsUtcMs);
  lastNote = r.note;
  // Remember steady hours (one offset all through) of one zone in a typed array: an index, not two Map lookups.
  if (zone !== hoursZone) {
    hoursZone = zone;
    hoursBase = hour - HOURS / 2;
    hourOffsets.fill(NaN);
  }
  const known = localHourCache.get(zone)?.get(hour);
  const i = hour - hoursBase;
  if (known !== undefined && known === known && i >= 0 && i < HOURS) hourOffsets[i] = known;
  return r.utcMs;
}

let lastNote: LocalNote = null;
/** About seven years of local hours around the first one asked for. */
const HOURS = 1 << 16;
const hourOffsets = new Float64Array(HOURS).fill(NaN);
let hoursZone = '';
let hoursBase = 0;

/** The note of the last localToUtcMs(). */
export const localNote = (): LocalNote => lastNote;

function localToUtcSlow(zone: string, localAsUtcMs: number): { utcMs: number; note: LocalNote } {
  const before = zoneOffsetMs(zone, localAsUtcMs - 14 * HOUR);
  const after = zoneOffsetMs(zone, localAsUtcMs + 14 * HOUR);
  if (before === after) return { utcMs: localAsUtcMs - before, note: null };
  const u1 = localAsUtcMs - before;
  const u2 = localAsUtcMs - after;
  const v1 = zoneOffsetMs(zone, u1) === before;
  const v2 = zoneOffsetMs(zone, u2) === after;
  if (v1 && v2) return { utcMs: Math.min(u1, u2), note: u1 === u2 ? null : 'ambiguous' };
  if (v1) return { utcMs: u1, note: null };
  if (v2) return { utcMs: u2, note: null };
  // In the gap: keep the offset in force before it, which lands the same distance past the gap.
  return { utcMs: u1, note: 'gap' };
}

/** The local wall clock of an instant, as ms whose UTC fields are the local fields. */
export const utcToLocalMs = (zone: string, utcMs: number): number => utcMs + zoneOffsetMs(zone, utcMs);

/**
 * `+01:00`: an offset (local − UTC, ms) as ISO 8601 writes it, with seconds (`-00:01:15`) for the
 * local mean time some zones kept before standard time (London until 1847, Monrovia until 1972).
 */
export function offsetText(off: number): string {
  const a = Math.floor(Math.abs(off) / 1000);
  const ss = a % 60;
  const head = `${off < 0 ? '-' : '+'}${String(Math.floor(a / 3600)).padStart(2, '0')}:${String(Math.floor(a / 60) % 60).padStart(2, '0')}`;
  return ss === 0 ? head : `${head}:${String(ss).padStart(2, '0')}`;
}

/** A local wall clock (ms whose UTC fields are local) as `YYYY-MM-DDTHH:MM:SS` (years past 9999 or before 0 with their sign and six digits). */
export function localClockText(localMs: number): string {
  const s = new Date(localMs).toISOString();
  return s.slice(0, s.length - 5);
}

/** Per zone: each minute's text before the seconds and the offset after them. */
class MinuteTexts {
  private readonly index = new Map<number, number>();
  /** '' where the minute has no shared text: an offset with seconds, or a year of more than four digits. */
  private heads: string[] = [];
  private offsets: number[] = [];
  private tails: string[] = [];
  private lastMinute = NaN;
  private lastSlot = 0;

  constructor(private readonly zone: string) {}

  format(utcMs: number): string {
    const minute = Math.floor(utcMs / 60_000);
    let slot = this.lastSlot;
    if (minute !== this.lastMinute) {
      const hit = this.index.get(minute);
      if (hit === undefined) slot = this.add(minute);
      else slot = hit;
      this.lastMinute = minute;
      this.lastSlot = slot;
    }
    const head = this.heads[slot];
    if (head === '') return localClockText(utcMs + this.offsets[slot]) + this.tails[slot];
    return head + SECONDS[Math.floor(utcMs / 1000) - minute * 60] + this.tails[slot];
  }

  private add(minute: number): number {
    // A month of random start times is ~45,000 minutes; a run over years starts afresh past 500,000.
    if (this.heads.length >= 500_000) {
      this.index.clear();
      this.heads = [];
      this.offsets = [];
      this.tails = [];
    }
    const off = zoneOffsetMs(this.zone, minute * 60_000);
    const text = new Date(minute * 60_000 + off).toISOString();
    const slot = this.heads.push(off % 60_000 === 0 && text.length === 24 ? text.slice(0, 17) : '') - 1;
    this.offsets.push(off);
    this.tails.push(offsetText(off));
    this.index.set(minute, slot);
    return slot;
  }
}

const SECONDS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const minuteTexts = new Map<string, MinuteTexts>();

/** `2026-10-03T14:05:00+01:00`. Called once per rated call: the minute part is cached. */
export function formatLocalIso(zone: string, utcMs: number): string {
  let texts = minuteTexts.get(zone);
  if (!texts) minuteTexts.set(zone, (texts = new MinuteTexts(zone)));
  return texts.format(utcMs);
}
