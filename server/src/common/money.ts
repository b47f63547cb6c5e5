import { Decimal } from 'decimal.js';

/** Money column options (a fresh object each time: MikroORM mutates it). Money column shape: numeric(19,2) in PostgreSQL, a decimal string in JS. Never a float. */
export const moneyColumn = () => ({ type: 'decimal', precision: 19, scale: 2 }) as const;

export const MONEY_PATTERN = /^-?\d{1,17}(\.\d{1,2})?$/;

export function isMoney(value: string): boolean {
  return MONEY_PATTERN.test(value);
}

export function money(value: Decimal.Value): Decimal {
  return new Decimal(value);
}

/** Normalizes to the two-decimal string PostgreSQL returns for numeric(19,2). */
export function formatMoney(value: Decimal.Value): string {
  return new Decimal(value).toFixed(2);
}

export function sumMoney(values: Decimal.Value[]): Decimal {
  return values.reduce<Decimal>((acc, v) => acc.plus(v), new Decimal(0));
}

export { Decimal };
