/** Identifiers with check digits for demo suppliers: business ids, org numbers, IBANs. */
import { finnishCheckDigit } from '../modules/bank-statements/payment-reference.js';

/** Finnish business ID (Y-tunnus) with its check digit, from a 7-digit base. */
export function finnishBusinessId(base: number): string {
  for (let b = base; ; b++) {
    const digits = String(b % 10_000_000).padStart(7, '0');
    const weights = [7, 9, 10, 5, 8, 4, 2];
    const sum = digits.split('').reduce((s, d, i) => s + Number(d) * weights[i], 0);
    const r = sum % 11;
    if (r === 1) continue;
    return `${digits}-${r === 0 ? 0 : 11 - r}`;
  }
}

/** Swedish organisation number 556xxx-xxxx with its Luhn check digit. */
export function swedishOrgNumber(base: number): string {
  const nine = `556${String(base % 1_000_000).padStart(6, '0')}`;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let v = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    if (v > 9) v -= 9;
    sum += v;
  }
  const check = (10 - (sum % 10)) % 10;
  return `${nine.slice(0, 6)}-${nine.slice(6)}${check}`;
}

/** IBAN with correct check digits for a country and its BBAN. */
export function iban(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`
    .split('')
    .map((ch) => (/[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch))
    .join('');
  let rem = 0;
  for (const ch of rearranged) rem = (rem * 10 + Number(ch)) % 97;
  const check = String(98 - rem).padStart(2, '0');
  return `${country}${check}${bban}`;
}

/** The organization's own bank account (statements are imported for it). */
export function demoBankAccountIban(country: string): string {
  return country === 'SE' ? iban('SE', '50000000058398257466') : iban('FI', '12345600000785');
}

/** The payment reference (Finnish, with its check digit) the demo supplier asks for. */
export function demoPaymentReference(n: number): string {
  const base = String(10_000 + n);
  return `${base}${finnishCheckDigit(base)}`;
}
