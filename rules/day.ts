// Civil dates as whole day numbers (days since 1970-01-01): comparable, subtractable, zone-free.

export type Day = number;

const MS_PER_DAY = 86_400_000;

export const dayFromYmd = (y: number, m: number, d: number): Day => Math.floor(Date.UTC(y, m - 1, d) / MS_PER_DAY);

export function ymdOfDay(day: Day): { y: number; m: number; d: number } {
  const dt = new Date(day * MS_PER_DAY);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function formatDay(day: Day): string {
  const { y, m, d } = ymdOfDay(day);
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** `YYYY-MM-DD` (also `YYYY/MM/DD`) that names a real date, else null. */
export function parseDayText(text: string): Day | null {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(text.trim());
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (!isRealDate(y, mo, d)) return null;
  return dayFromYmd(y, mo, d);
}

export function isRealDate(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

export const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** 0 = Monday … 6 = Sunday. */
export const weekdayOfDay = (day: Day): number => (((day + 3) % 7) + 7) % 7;

/** Excel serial number to a day (and a fraction of it), in the 1900 or 1904 date system. */
export function dayFromSerial(serial: number, date1904: boolean): Day {
  // 1900 system: serial 25569 is 1970-01-01 (Excel's fictitious 1900-02-29 is before any date we read).
  return Math.floor(serial) - (date1904 ? 24107 : 25569);
}

/** A calendar month `YYYY-MM` as its first and last day. */
export function parsePeriod(text: string): { first: Day; last: Day; y: number; m: number } | null {
  const mt = /^(\d{4})-(\d{2})$/.exec(text.trim());
  if (!mt) return null;
  const y = Number(mt[1]);
  const m = Number(mt[2]);
  if (m < 1 || m > 12) return null;
  return { first: dayFromYmd(y, m, 1), last: dayFromYmd(y, m, daysInMonth(y, m)), y, m };
}
