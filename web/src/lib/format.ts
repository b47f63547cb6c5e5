/** Numbers, money and dates in the user's locale. Money stays a decimal string throughout. */

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

export function userLocale(): string {
  return (typeof navigator !== 'undefined' && navigator.language) || 'en-US';
}

function numberFormat(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const id = `n:${userLocale()}:${key}`;
  let format = cache.get(id) as Intl.NumberFormat | undefined;
  if (!format) {
    format = new Intl.NumberFormat(userLocale(), options);
    cache.set(id, format);
  }
  return format;
}

function dateFormat(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const id = `d:${userLocale()}:${key}`;
  let format = cache.get(id) as Intl.DateTimeFormat | undefined;
  if (!format) {
    format = new Intl.DateTimeFormat(userLocale(), options);
    cache.set(id, format);
  }
  return format;
}

/**
 * "1234.50" + "EUR" → "€1,234.50" (en-US) / "1 234,50 €" (fi-FI). Intl formats the decimal
 * string exactly (no float rounding on the way).
 */
export function formatMoney(amount: string | null | undefined, currency: string): string {
  if (amount == null || amount === '') return '—';
  return numberFormat(`money:${currency}`, { style: 'currency', currency }).format(
    amount as Intl.StringNumericLiteral,
  );
}

export function formatNumber(value: number | string): string {
  return numberFormat('int', { maximumFractionDigits: 4 }).format(
    value as Intl.StringNumericLiteral,
  );
}

export function formatPercent(rate: string): string {
  return `${numberFormat('rate', { maximumFractionDigits: 2 }).format(rate as Intl.StringNumericLiteral)} %`;
}

/** A calendar date ("2026-11-15") without shifting it through the local time zone. */
export function formatDate(date: string | null | undefined): string {
  if (!date) return '—';
  const [y, m, d] = date.split('-').map(Number);
  return dateFormat('date', { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** A timestamp in the user's time zone. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  return dateFormat('datetime', { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(value),
  );
}

const relative = () => new Intl.RelativeTimeFormat(userLocale(), { numeric: 'auto' });

/** "in 5 seconds", "3 minutes ago". */
export function formatRelative(value: string, now = Date.now()): string {
  const seconds = Math.round((new Date(value).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return relative().format(seconds, 'second');
  if (abs < 3600) return relative().format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return relative().format(Math.round(seconds / 3600), 'hour');
  return relative().format(Math.round(seconds / 86400), 'day');
}

/** "2026-11-15" for date inputs, from a local Date. */
export function toIsoDate(date: Date): string {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}
