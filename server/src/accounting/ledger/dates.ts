/**
 * Calendar dates as 'YYYY-MM-DD' strings. All arithmetic is done in UTC so that the host's
 * time zone can never move a date by a day. Strings of this shape compare correctly with < and >.
 */

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date in 'YYYY-MM-DD' form (2028-02-29 yes, 2026-02-29 no). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE_PATTERN.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

/** Number of days in a month (month 1..12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function fromUtc(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function toUtc(value: string): Date {
  const m = DATE_PATTERN.exec(value);
  if (!m) throw new Error(`not a date: ${value}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

export function addDays(value: string, days: number): string {
  const d = toUtc(value);
  d.setUTCDate(d.getUTCDate() + days);
  return fromUtc(d);
}

export function formatDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
