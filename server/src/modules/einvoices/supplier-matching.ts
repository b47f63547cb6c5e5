/**
 * Which of the organization's suppliers sent an e-invoice: by Peppol endpoint (scheme and id),
 * then VAT number, then Finnish business id (Y-tunnus) — read from the party's legal id, its
 * other identifiers, its FI VAT number or an OVT code (0037 + Y-tunnus digits).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Supplier } from '../suppliers/supplier.entity.js';
import type { ParsedParty, PartyIdentifier } from './mapping/parsed-einvoice.js';

export type SupplierMatchKind = 'PEPPOL_ENDPOINT' | 'VAT_NUMBER' | 'BUSINESS_ID';

export interface SupplierMatch {
  supplier: Supplier;
  by: SupplierMatchKind;
}

/** ISO 6523 ICD of the Finnish business id (Y-tunnus) and the Finnish OVT code. */
const ICD_FI_BUSINESS_ID = '0212';
const ICD_FI_OVT = ['0037', '0216'];

/** Compact, upper case: "FI 1234 5678" → "FI12345678". */
export function normalizeVatNumber(value: string | null | undefined): string | null {
  const v = value?.replace(/[\s.-]+/g, '').toUpperCase();
  return v ? v : null;
}

/** "1234567-8" from "1234567-8", "12345678", "FI12345678" or an OVT code "003712345678…". */
export function finnishBusinessIdOf(id: PartyIdentifier | string | null): string | null {
  if (!id) return null;
  const { scheme, value } = typeof id === 'string' ? { scheme: null, value: id } : id;
  const v = value.replace(/\s+/g, '').toUpperCase();
  let digits: string | null = null;
  if (/^\d{7}-\d$/.test(v)) digits = v.replace('-', '');
  else if (/^FI\d{8}$/.test(v)) digits = v.slice(2);
  else if (scheme && ICD_FI_OVT.includes(scheme) && /^0037\d{8}/.test(v)) digits = v.slice(4, 12);
  else if (scheme === ICD_FI_BUSINESS_ID && /^\d{8}$/.test(v)) digits = v;
  if (!digits || !isValidFinnishBusinessId(digits)) return null;
  return `${digits.slice(0, 7)}-${digits.slice(7)}`;
}

/** Y-tunnus check digit: weights 7,9,10,5,8,4,2, mod 11 (remainder 1 is never issued). */
function isValidFinnishBusinessId(digits: string): boolean {
  const weights = [7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(digits[i]), 0);
  const r = sum % 11;
  if (r === 1) return false;
  return (r === 0 ? 0 : 11 - r) === Number(digits[7]);
}

/** The identifiers of a party intake matches on and stores on a supplier created from it. */
export function partyKeys(party: ParsedParty) {
  const endpoint = party.endpoint
    ? { scheme: party.endpoint.scheme?.trim() ?? null, value: party.endpoint.value.trim() }
    : null;
  const vatNumber = normalizeVatNumber(party.vatNumber);
  const businessId =
    [party.legalId, ...party.identifiers, vatNumber, endpoint]
      .map((id) => finnishBusinessIdOf(id))
      .find((id) => id !== null) ?? null;
  return { endpoint, vatNumber, businessId };
}

export async function matchSupplier(
  em: EntityManager,
  organizationId: string,
  party: ParsedParty,
): Promise<SupplierMatch | null> {
  const { endpoint, vatNumber, businessId } = partyKeys(party);
  if (endpoint?.scheme) {
    const [supplier] = await em.find(
      Supplier,
      {
        organization: organizationId,
        peppolEndpointScheme: endpoint.scheme,
        // Peppol participant ids are case-insensitive; LIKE wildcards in them are taken literally.
        peppolEndpointId: { $ilike: endpoint.value.replace(/[\\%_]/g, (c) => `\\${c}`) },
      },
      { orderBy: { createdAt: 'asc' }, limit: 1 },
    );
    if (supplier) return { supplier, by: 'PEPPOL_ENDPOINT' };
  }
  if (vatNumber) {
    const [supplier] = await em.find(
      Supplier,
      { organization: organizationId, vatNumber },
      { orderBy: { createdAt: 'asc' }, limit: 1 },
    );
    if (supplier) return { supplier, by: 'VAT_NUMBER' };
  }
  if (businessId) {
    const [supplier] = await em.find(
      Supplier,
      {
        organization: organizationId,
        businessId: { $in: [businessId, businessId.replace('-', '')] },
      },
      { orderBy: { createdAt: 'asc' }, limit: 1 },
    );
    if (supplier) return { supplier, by: 'BUSINESS_ID' };
  }
  return null;
}
