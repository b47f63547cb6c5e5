/**
 * Exact decimal arithmetic for money strings ("1234.50"), on BigInt with 4 decimals (the
 * server stores decimal(19,4)). Money is never a float.
 */
const SCALE = 4;
const FACTOR = 10n ** BigInt(SCALE);
const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

export function isDecimal(value: string): boolean {
  const match = DECIMAL.exec(value.trim());
  return !!match && (match[3]?.length ?? 0) <= SCALE;
}

/** Accepts "1234.5", "-3", also a comma as the decimal separator ("12,50"). */
export function normalizeDecimalInput(value: string): string | null {
  const cleaned = value.trim().replace(/\s/g, '').replace(',', '.');
  return cleaned && isDecimal(cleaned) ? cleaned : null;
}

export function toUnits(value: string): bigint {
  const match = DECIMAL.exec(value.trim());
  if (!match) throw new Error(`Not a decimal: ${value}`);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > SCALE) throw new Error(`More than ${SCALE} decimals: ${value}`);
  const units = BigInt(whole) * FACTOR + BigInt(fraction.padEnd(SCALE, '0'));
  return sign === '-' ? -units : units;
}

/** Back to a string with at least `minDecimals` decimals ("1234.50"). */
export function fromUnits(units: bigint, minDecimals = 2): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = abs / FACTOR;
  let fraction = (abs % FACTOR).toString().padStart(SCALE, '0');
  while (fraction.length > minDecimals && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

export function sumDecimals(values: readonly string[]): string {
  return fromUnits(values.reduce((total, v) => total + toUnits(v), 0n));
}

export function subtractDecimals(a: string, b: string): string {
  return fromUnits(toUnits(a) - toUnits(b));
}

export function compareDecimals(a: string, b: string): -1 | 0 | 1 {
  const d = toUnits(a) - toUnits(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

export function isZero(value: string): boolean {
  return toUnits(value) === 0n;
}
