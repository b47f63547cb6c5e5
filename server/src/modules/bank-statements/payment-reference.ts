/**
 * Payment references that carry check digits: the Finnish national reference (viitenumero,
 * weights 7-3-1 from the right) and the RF creditor reference of ISO 11649 (mod 97). Invoices
 * store them normalized; bank entries are matched by the equivalent forms (`1245` ↔ `RF481245`).
 */

const FINNISH = /^\d{4,20}$/;
const RF = /^RF\d{2}[0-9A-Z]{1,21}$/;
const WEIGHTS = [7, 3, 1];

/** Spaces removed, letters upper-cased: how references are written on paper and in files. */
export function compactReference(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

/** The check digit of a Finnish reference base (3 to 19 digits). */
export function finnishCheckDigit(base: string): number {
  let sum = 0;
  for (let i = 0; i < base.length; i++)
    sum += Number(base[base.length - 1 - i]) * WEIGHTS[i % WEIGHTS.length];
  return (10 - (sum % 10)) % 10;
}

export function isValidFinnishReference(value: string): boolean {
  const ref = compactReference(value);
  if (!FINNISH.test(ref)) return false;
  const significant = ref.replace(/^0+/, '');
  if (significant.length < 4) return false;
  return finnishCheckDigit(ref.slice(0, -1)) === Number(ref.slice(-1));
}

/** ISO 7064 mod 97 of an alphanumeric string (letters A=10 … Z=35), digit by digit. */
function mod97(value: string): number {
  let rem = 0;
  for (const ch of value) {
    const digits = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of digits) rem = (rem * 10 + Number(d)) % 97;
  }
  return rem;
}

export function isValidRfReference(value: string): boolean {
  const ref = compactReference(value);
  if (!RF.test(ref)) return false;
  return mod97(`${ref.slice(4)}${ref.slice(0, 4)}`) === 1;
}

/** The RF creditor reference wrapping `body` (e.g. a Finnish reference): `1245` → `RF481245`. */
export function toRfReference(body: string): string {
  const b = compactReference(body);
  const check = 98 - mod97(`${b}RF00`);
  return `RF${String(check).padStart(2, '0')}${b}`;
}

export type ReferenceKind = 'FINNISH' | 'RF';

/**
 * A valid reference in its stored form (Finnish: leading zeros dropped, as banks pad it to 20
 * digits; RF: compact), or null when the check digits do not hold.
 */
export function normalizeReference(value: string): { kind: ReferenceKind; value: string } | null {
  const ref = compactReference(value);
  if (ref.startsWith('RF')) return isValidRfReference(ref) ? { kind: 'RF', value: ref } : null;
  if (isValidFinnishReference(ref)) return { kind: 'FINNISH', value: ref.replace(/^0+/, '') };
  return null;
}

/**
 * Every stored form that denotes the same reference: a Finnish reference and the RF reference
 * wrapping it are one payment reference.
 */
export function equivalentReferences(value: string): string[] {
  const ref = normalizeReference(value);
  if (!ref) return [];
  if (ref.kind === 'FINNISH') return [ref.value, toRfReference(ref.value)];
  const body = ref.value.slice(4);
  const national = body.replace(/^0+/, '');
  return /^\d+$/.test(body) && isValidFinnishReference(national)
    ? [ref.value, national, toRfReference(national)].filter((v, i, a) => a.indexOf(v) === i)
    : [ref.value];
}

/**
 * An optional payment reference from an input, normalized; a wrong one is a problem on `field`
 * (and null). Blank → null.
 */
export function paymentReferenceInput(
  value: string | null | undefined,
  field: string[],
  p: { add(message: string, field: string[]): unknown },
): string | null {
  if (value == null || value.trim() === '') return null;
  const ref = value.length <= 40 ? normalizeReference(value) : null;
  if (!ref) {
    p.add(
      'The payment reference must be a Finnish reference or an RF creditor reference with valid check digits',
      field,
    );
    return null;
  }
  return ref.value;
}
