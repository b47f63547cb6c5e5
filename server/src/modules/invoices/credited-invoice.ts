/**
 * The optional link from a credit note to the invoice it credits. Only a credit note links, and
 * only to an invoice (not a credit note) of the same organization and supplier that is not
 * removed; anything else is a userError, and another organization's invoice is "not found".
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { UserErrorCode } from '../../common/errors.js';
import { fromGlobalId } from '../../common/ids.js';
import type { Problems } from '../../common/validation.js';
import type { Supplier } from '../suppliers/supplier.entity.js';
import { InvoiceStatus, PurchaseInvoice } from './invoice.entity.js';
import { DocumentKind } from './invoice.enums.js';

export async function resolveCreditedInvoice(
  em: EntityManager,
  organizationId: string,
  kind: DocumentKind,
  supplier: Supplier | null,
  creditedInvoiceId: string | null | undefined,
  p: Problems,
  field: string[] = ['creditedInvoiceId'],
): Promise<PurchaseInvoice | null> {
  if (creditedInvoiceId == null || creditedInvoiceId === '') return null;
  if (kind !== DocumentKind.CREDIT_NOTE) {
    p.add('Only a credit note links to the invoice it credits', field);
    return null;
  }
  const id = fromGlobalId(creditedInvoiceId, 'PurchaseInvoice');
  const credited = id
    ? await em.findOne(PurchaseInvoice, { id, organization: organizationId })
    : null;
  if (!credited) {
    p.add('Credited invoice not found', field, UserErrorCode.NOT_FOUND);
    return null;
  }
  if (credited.removedAt || credited.status === InvoiceStatus.REMOVED) {
    p.add(`Invoice ${credited.invoiceNumber} has been removed: it cannot be credited`, field);
    return null;
  }
  if (credited.kind !== DocumentKind.INVOICE) {
    p.add(`${credited.invoiceNumber} is a credit note: a credit note credits an invoice`, field);
    return null;
  }
  if (supplier && credited.supplier.id !== supplier.id) {
    p.add(
      `Invoice ${credited.invoiceNumber} is of another supplier: a credit note credits an invoice of its own supplier`,
      field,
    );
    return null;
  }
  return credited;
}
