/**
 * From a stored e-invoice to the purchase invoice: through the invoice service's own create (same
 * checks, duplicate detection, audit), and the one-click supplier for a document that waits for one.
 */
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isValidBIC, isValidIBAN } from 'ibantools';
import { organizationIdsOf } from '../../auth/access.js';
import { Permission } from '../../auth/permissions.js';
import { DomainError, UserErrorCode } from '../../common/errors.js';
import { toGlobalId } from '../../common/ids.js';
import { Decimal } from '../../common/money.js';
import type { ServiceContext } from '../../common/service-context.js';
import { requireCaller, requireGlobalId } from '../../common/validation.js';
import { authorizeOrganization } from '../../auth/access.js';
import { actorOf, recordAudit } from '../audit/audit.service.js';
import { normalizeReference } from '../bank-statements/payment-reference.js';
import { InvoiceSource, PurchaseInvoice } from '../invoices/invoice.entity.js';
import { DocumentKind } from '../invoices/invoice.enums.js';
import { createPurchaseInvoice } from '../invoices/invoice.service.js';
import { Supplier } from '../suppliers/supplier.entity.js';
import {
  EInvoiceDocument,
  EInvoiceFormat,
  EInvoiceState,
  type MappingWarning,
  type StoredParsedEInvoice,
} from './einvoice.entity.js';
import { proposePostingLines } from './einvoice-posting.js';
import { partyKeys } from './supplier-matching.js';
import { mapLineVatCodes, vatMappingsOf } from './vat-mapping.service.js';

/** Supplier names are unique per organization and at most this long. */
const SUPPLIER_NAME_MAX = 200;

/** Creates the document's invoice for `supplier` and links them; bank-detail problems become warnings. */
export async function createInvoiceFromDocument(
  em: EntityManager,
  sctx: ServiceContext,
  document: EInvoiceDocument,
  supplier: Supplier,
): Promise<PurchaseInvoice> {
  const parsed = document.parsed;
  const warnings: MappingWarning[] = [];
  let paymentReference: string | null = null;
  if (parsed.paymentReference) {
    const ref = normalizeReference(parsed.paymentReference);
    if (ref) paymentReference = ref.value;
    else
      warnings.push({
        code: 'PAYMENT_REFERENCE_INVALID',
        message: `The payment reference ${parsed.paymentReference} is neither a Finnish nor an RF reference with valid check digits: left out; pay with the invoice number as the message`,
        field: ['paymentReference'],
      });
  }
  if (parsed.iban && !isValidIBAN(parsed.iban.toUpperCase())) {
    warnings.push({
      code: 'IBAN_INVALID',
      message: `The supplier's account ${parsed.iban} is not a valid IBAN (check digits or length)`,
      field: ['iban'],
    });
  }
  if (parsed.bic && !isValidBIC(parsed.bic.toUpperCase())) {
    warnings.push({
      code: 'BIC_INVALID',
      message: `The supplier's BIC ${parsed.bic} is not a valid BIC`,
      field: ['bic'],
    });
  }
  if (!parsed.dueDate) {
    warnings.push({
      code: 'DUE_DATE_MISSING',
      message: 'The document has no due date: the issue date is used; check the payment terms',
      field: ['dueDate'],
    });
  }
  const { kind, amounts } = signedTotals(parsed, warnings);
  // Mapped again now: an admin may have added a VAT mapping while the document waited for its supplier.
  const mappings = await vatMappingsOf(em, document.organization.id);
  const mapped = mapLineVatCodes(mappings, parsed.lines);
  warnings.push(...mapped.warnings);
  // The supplier has no default expense account: the account is left for the user to choose.
  const proposedLines = proposePostingLines(parsed, mappings, null);
  const creditedInvoiceId =
    kind === DocumentKind.CREDIT_NOTE
      ? await creditedInvoiceOf(em, document, supplier, parsed.precedingInvoiceNumber)
      : null;
  const { invoice } = await createPurchaseInvoice(em, sctx, {
    organizationId: toGlobalId('Organization', document.organization.id),
    supplierId: toGlobalId('Supplier', supplier.id),
    kind,
    creditedInvoiceId,
    invoiceNumber: parsed.invoiceNumber,
    billDate: parsed.issueDate,
    dueDate: parsed.dueDate ?? parsed.issueDate,
    paymentReference,
    currency: parsed.currency,
    ...amounts,
    proposedLines,
    idempotencyKey: `einvoice-${document.id}`,
    source:
      document.format === EInvoiceFormat.FINVOICE ? InvoiceSource.FINVOICE : InvoiceSource.PEPPOL,
  });
  document.invoice = invoice;
  document.state = EInvoiceState.IMPORTED;
  document.parsed = { ...parsed, lines: mapped.lines };
  document.mappingWarnings = [
    ...document.mappingWarnings.filter((w) => w.code !== 'VAT_CODE_UNMAPPED'),
    ...warnings,
  ];
  await em.flush();
  return invoice;
}

/**
 * The kind and the signed totals as the invoice module stores them: a UBL CreditNote's positive
 * amounts become negative; a UBL Invoice with a negative total (Peppol's "negative invoice"
 * correction) is a credit note too, its amounts already negative.
 */
function signedTotals(parsed: StoredParsedEInvoice, warnings: MappingWarning[]) {
  const raw = {
    netAmount: parsed.netAmount,
    vatAmount: parsed.vatAmount,
    grossAmount: parsed.grossAmount,
  };
  if (parsed.kind === 'CREDIT_NOTE') {
    const neg = (v: string) => new Decimal(v).negated().toFixed();
    return {
      kind: DocumentKind.CREDIT_NOTE,
      amounts: {
        netAmount: neg(raw.netAmount),
        vatAmount: neg(raw.vatAmount),
        grossAmount: neg(raw.grossAmount),
      },
    };
  }
  if (new Decimal(raw.grossAmount).lt(0)) {
    warnings.push({
      code: 'NEGATIVE_INVOICE',
      message: 'The invoice has a negative total: it is imported as a credit note',
      field: ['kind'],
    });
    return { kind: DocumentKind.CREDIT_NOTE, amounts: raw };
  }
  return { kind: DocumentKind.INVOICE, amounts: raw };
}

/** The supplier's invoice a credit note names (BT-25), when Ledgerlink has it. */
async function creditedInvoiceOf(
  em: EntityManager,
  document: EInvoiceDocument,
  supplier: Supplier,
  number: string | null,
): Promise<string | null> {
  if (!number) return null;
  const credited = await em.findOne(PurchaseInvoice, {
    organization: document.organization.id,
    supplier: supplier.id,
    kind: DocumentKind.INVOICE,
    invoiceNumber: number,
    removedAt: null,
  });
  return credited ? toGlobalId('PurchaseInvoice', credited.id) : null;
}

/** The document waiting for a supplier, row-locked; other organizations' look missing. */
async function lockWaitingDocument(
  em: EntityManager,
  sctx: ServiceContext,
  documentGlobalId: string,
) {
  requireCaller(sctx.caller);
  const field = ['documentId'];
  const id = requireGlobalId(documentGlobalId, 'EInvoiceDocument', field, 'E-invoice');
  const document = await em.findOne(
    EInvoiceDocument,
    { id, organization: { $in: organizationIdsOf(sctx.caller) } },
    { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
  );
  if (!document) throw new DomainError(UserErrorCode.NOT_FOUND, 'E-invoice not found', field);
  authorizeOrganization(sctx.caller, document.organization.id, Permission.WRITE, field);
  if (document.state !== EInvoiceState.NEEDS_SUPPLIER) {
    throw new DomainError(
      UserErrorCode.INVALID_STATE,
      'The e-invoice already has its supplier and invoice',
      field,
    );
  }
  return document;
}

/**
 * One click: the supplier as the document names it (name, VAT number, business id, Peppol
 * endpoint, IBAN, country), then the invoice. A supplier of that name existing already is
 * refused rather than silently reused: its identifiers evidently differ from the document's.
 */
export async function createSupplierFromEInvoice(
  em: EntityManager,
  sctx: ServiceContext,
  documentGlobalId: string,
): Promise<{ document: EInvoiceDocument; supplier: Supplier; invoice: PurchaseInvoice }> {
  const document = await lockWaitingDocument(em, sctx, documentGlobalId);
  const party = document.parsed.supplier;
  const name = party.name?.trim().slice(0, SUPPLIER_NAME_MAX);
  if (!name) {
    throw new DomainError(
      UserErrorCode.VALIDATION,
      'The document does not name its seller; create the supplier by hand',
      ['documentId'],
    );
  }
  const organizationId = document.organization.id;
  const clash = await em.findOne(Supplier, { organization: organizationId, name });
  if (clash) {
    throw new DomainError(
      UserErrorCode.IN_USE,
      `A supplier named ${name} exists (id ${toGlobalId('Supplier', clash.id)}) but its identifiers do not match the document's; add them to it or rename one`,
      ['documentId'],
    );
  }
  const keys = partyKeys(party);
  const iban = document.parsed.iban?.toUpperCase() ?? null;
  const supplier = em.create(Supplier, {
    organization: document.organization,
    name,
    accountName: name,
    businessId: keys.businessId,
    vatNumber: keys.vatNumber,
    peppolEndpointScheme: keys.endpoint?.scheme ?? null,
    peppolEndpointId: keys.endpoint?.value ?? null,
    iban: iban && isValidIBAN(iban) ? iban : null,
    country: party.countryCode ?? 'FI',
  });
  recordAudit(em, {
    organizationId,
    action: 'supplier.created',
    actor: actorOf(sctx.caller),
    entityType: 'Supplier',
    entityId: supplier.id,
    requestId: sctx.requestId,
    details: { name, fromEInvoice: toGlobalId('EInvoiceDocument', document.id), ...keys },
  });
  await em.flush();
  const invoice = await createInvoiceFromDocument(em, sctx, document, supplier);
  return { document, supplier, invoice };
}
