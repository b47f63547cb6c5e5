/**
 * The organization's table from an e-invoice's VAT category and rate to its own VAT code. A line
 * whose category and rate have no entry gets no VAT code and a warning: intake never guesses.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Permission } from '../../auth/permissions.js';
import { DomainError, UserErrorCode } from '../../common/errors.js';
import { Decimal } from '../../common/money.js';
import type { ServiceContext } from '../../common/service-context.js';
import { authorizeOrganizationInput, Problems } from '../../common/validation.js';
import { actorOf, recordAudit } from '../audit/audit.service.js';
import { Organization } from '../organizations/organization.entity.js';
import { VatMapping, type MappingWarning } from './einvoice.entity.js';
import type { ParsedLine } from './mapping/parsed-einvoice.js';

/** UNCL 5305 VAT category codes that EN 16931 allows. */
export const VAT_CATEGORIES = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M'] as const;

/** "25.50" → "25.5", "0.00" → "0", absent → "0" (categories E, AE, O carry no rate or zero). */
export function normalizeRate(rate: string | null | undefined): string | null {
  const r = (rate ?? '0').trim();
  if (!/^\d{1,3}(\.\d{1,4})?$/.test(r)) return null;
  return new Decimal(r).toFixed();
}

export async function vatMappingsOf(em: EntityManager, organizationId: string) {
  return em.find(
    VatMapping,
    { organization: organizationId },
    { orderBy: { category: 'asc', rate: 'asc' } },
  );
}

/** The organization's VAT code for a category and rate, or null: never a nearest match. */
export function vatCodeFor(
  mappings: Pick<VatMapping, 'category' | 'rate' | 'vatCode'>[],
  category: string | null,
  rate: string | null,
): string | null {
  if (!category) return null;
  const r = normalizeRate(rate);
  return mappings.find((m) => m.category === category && m.rate === r)?.vatCode ?? null;
}

/** Each line with its VAT code (or null), and a warning per line that has none. */
export function mapLineVatCodes(
  mappings: VatMapping[],
  lines: ParsedLine[],
): { lines: (ParsedLine & { vatCode: string | null })[]; warnings: MappingWarning[] } {
  const warnings: MappingWarning[] = [];
  const mapped = lines.map((line, i) => {
    const vatCode = vatCodeFor(mappings, line.vatCategory, line.vatRate);
    if (!vatCode) {
      warnings.push({
        code: 'VAT_CODE_UNMAPPED',
        message:
          `Line ${line.id || i + 1}: no VAT code is mapped for category ${line.vatCategory ?? '(none)'} ` +
          `at ${line.vatRate ?? '0'} %; add one under VAT mappings or code the line by hand`,
        field: ['lines', String(i), 'vatCode'],
      });
    }
    return { ...line, vatCode };
  });
  return { lines: mapped, warnings };
}

export interface SetVatMappingData {
  organizationId: string;
  category: string;
  rate: string;
  vatCode: string;
}

export async function setVatMapping(
  em: EntityManager,
  sctx: ServiceContext,
  input: SetVatMappingData,
): Promise<VatMapping> {
  const organizationId = authorizeOrganizationInput(
    sctx.caller,
    input.organizationId,
    Permission.ADMIN,
  );
  const p = new Problems();
  const category = input.category.trim().toUpperCase();
  if (!(VAT_CATEGORIES as readonly string[]).includes(category)) {
    p.add(`VAT category must be one of ${VAT_CATEGORIES.join(', ')} (UNCL 5305)`, ['category']);
  }
  const rate = normalizeRate(input.rate);
  if (rate === null || new Decimal(rate).gt(100)) {
    p.add('The rate is a percent between 0 and 100 with at most 4 decimals, e.g. 25.5', ['rate']);
  }
  const vatCode = p.text(input.vatCode, ['vatCode'], {
    max: 50,
    required: true,
    label: 'VAT code',
  });
  p.throwIfAny();
  const existing = await em.findOne(VatMapping, {
    organization: organizationId,
    category,
    rate: rate!,
  });
  const mapping =
    existing ??
    em.create(VatMapping, {
      organization: em.getReference(Organization, organizationId),
      category,
      rate: rate!,
      vatCode: vatCode!,
    });
  mapping.vatCode = vatCode!;
  recordAudit(em, {
    organizationId,
    action: 'vatMapping.set',
    actor: actorOf(sctx.caller),
    entityType: 'VatMapping',
    entityId: mapping.id,
    requestId: sctx.requestId,
    details: { category, rate, vatCode },
  });
  await em.flush();
  return mapping;
}

export async function removeVatMapping(
  em: EntityManager,
  sctx: ServiceContext,
  input: Omit<SetVatMappingData, 'vatCode'>,
): Promise<boolean> {
  const organizationId = authorizeOrganizationInput(
    sctx.caller,
    input.organizationId,
    Permission.ADMIN,
  );
  const category = input.category.trim().toUpperCase();
  const rate = normalizeRate(input.rate);
  // Only a category and rate that could have been set are looked up (a NUL byte would not even
  // reach PostgreSQL as text); anything else has no mapping, by construction.
  const known = (VAT_CATEGORIES as readonly string[]).includes(category);
  const mapping =
    rate && known
      ? await em.findOne(VatMapping, { organization: organizationId, category, rate })
      : null;
  if (!mapping) {
    throw new DomainError(
      UserErrorCode.NOT_FOUND,
      `No VAT mapping for ${category} ${input.rate} %`,
      ['rate'],
    );
  }
  recordAudit(em, {
    organizationId,
    action: 'vatMapping.removed',
    actor: actorOf(sctx.caller),
    entityType: 'VatMapping',
    entityId: mapping.id,
    requestId: sctx.requestId,
    details: { category, rate, vatCode: mapping.vatCode },
  });
  em.remove(mapping);
  await em.flush();
  return true;
}
