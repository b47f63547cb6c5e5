import { randomUUID } from 'node:crypto';
import { normalizeRate } from './vat-mapping.service.js';

interface VatCodeLike {
  code: string;
  rate: string;
  reverseCharge?: boolean;
  validTo?: string;
}

/**
 * A demo organization's VAT mappings, from its VAT codes still in force: standard-rated (S) and
 * zero-rated (Z) lines by rate, and reverse-charge lines (AE, no rate) to its reverse-charge code.
 */
export function demoVatMappings(organization: string, vatCodes: VatCodeLike[], createdAt: Date) {
  const today = new Date().toISOString().slice(0, 10);
  const rows = new Map<string, { category: string; rate: string; vatCode: string }>();
  for (const v of vatCodes) {
    if (v.validTo && v.validTo < today) continue;
    const rate = normalizeRate(v.rate)!;
    const category = v.reverseCharge ? 'AE' : rate === '0' ? 'Z' : 'S';
    const key = `${category}|${v.reverseCharge ? '0' : rate}`;
    if (!rows.has(key))
      rows.set(key, { category, rate: v.reverseCharge ? '0' : rate, vatCode: v.code });
  }
  return [...rows.values()].map((r) => ({
    id: randomUUID(),
    organization,
    createdAt,
    updatedAt: createdAt,
    ...r,
  }));
}
