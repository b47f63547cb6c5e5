/**
 * The invoice write side: creating invoices, coding them (posting lines) and posting them.
 * Every function runs inside the mutation's transaction; a DomainError rolls all of it back.
 */
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { authorizeOrganization, organizationIdsOf } from '../../auth/access.js';
import type { Caller } from '../../auth/authenticate.js';
import { Permission } from '../../auth/permissions.js';
import { emitDomainEvent } from '../../common/domain-events.js';
import { DomainError, UserErrorCode } from '../../common/errors.js';
import { fromGlobalId, toGlobalId } from '../../common/ids.js';
import { formatMoney } from '../../common/money.js';
import type { Warning } from '../../common/payload.types.js';
import { callerUserId, type ServiceContext } from '../../common/service-context.js';
import {
  assertVersion,
  authorizeOrganizationInput,
  isIsoCurrency,
  Problems,
  requireCaller,
  requireGlobalId,
} from '../../common/validation.js';
import { actorOf, recordAudit } from '../audit/audit.service.js';
import { withIdempotency } from '../idempotency/idempotency.service.js';
import { Organization } from '../organizations/organization.entity.js';
import { Supplier } from '../suppliers/supplier.entity.js';
import { Transfer } from '../transfers/transfer.entity.js';
import { isLiveTransferStatus, LIVE_TRANSFER_STATUSES } from '../transfers/transfer.enums.js';
import { User } from '../users/user.entity.js';
import { fiscalYearOf, takeDocumentNumber } from './document-number.js';
import { DocumentSequenceKind } from './document-sequence.entity.js';
import { resolveCreditedInvoice } from './credited-invoice.js';
import { InvoiceSource, InvoiceStatus, PurchaseInvoice } from './invoice.entity.js';
import { DocumentKind } from './invoice.enums.js';
import { totalsSignProblems } from './invoice.rules.js';
import {
  createLines,
  lineData,
  loadLines,
  normalizePostingLines,
  postingProblems,
  warningsFor,
  type PostingLine,
  type PostingLineData,
} from './posting-lines.js';
import { paymentReferenceInput } from '../bank-statements/payment-reference.js';

const INVOICE_NUMBER_MAX = 100;

export interface CreateInvoiceData {
  organizationId: string;
  supplierId: string;
  /** INVOICE when omitted. */
  kind?: DocumentKind | null;
  /** A credit note's credited invoice (global id), optional. */
  creditedInvoiceId?: string | null;
  invoiceNumber: string;
  billDate: string;
  dueDate: string;
  paymentReference?: string | null;
  currency: string;
  netAmount: string;
  vatAmount: string;
  grossAmount: string;
  lines?: PostingLineData[] | null;
  /**
   * Lines an intake proposes, already computed (e-invoice import): written after `lines` as they
   * are, an empty account or VAT code left for the posting warnings to ask for.
   */
  proposedLines?: PostingLine[] | null;
  allowDuplicate?: boolean | null;
  idempotencyKey: string;
  /** How the invoice arrived (e-invoice intake passes PEPPOL or FINVOICE); MANUAL when absent. */
  source?: InvoiceSource;
}

export interface InvoiceResult {
  invoice: PurchaseInvoice;
  warnings: Warning[];
}

// ---------------------------------------------------------------------------------------------
// Loading an invoice for a change
// ---------------------------------------------------------------------------------------------

/**
 * The invoice a mutation changes, row-locked until commit so concurrent changes queue instead of
 * overwriting each other. Missing, malformed, other-type and foreign ids are all NOT_FOUND; a
 * member of the organization without `permission` gets FORBIDDEN.
 */
export async function lockInvoiceForChange(
  em: EntityManager,
  caller: Caller,
  invoiceGlobalId: string,
  permission: Permission,
  field: string[] = ['invoiceId'],
): Promise<PurchaseInvoice> {
  requireCaller(caller);
  const id = requireGlobalId(invoiceGlobalId, 'PurchaseInvoice', field, 'Invoice');
  const invoice = await em.findOne(
    PurchaseInvoice,
    { id, organization: { $in: organizationIdsOf(caller) } },
    { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
  );
  if (!invoice) throw new DomainError(UserErrorCode.NOT_FOUND, 'Invoice not found', field);
  authorizeOrganization(caller, invoice.organization.id, permission, field);
  return invoice;
}

export function assertNotRemoved(invoice: PurchaseInvoice, field: string[] = ['invoiceId']): void {
  if (invoice.removedAt || invoice.status === InvoiceStatus.REMOVED) {
    throw new DomainError(UserErrorCode.INVALID_STATE, 'The invoice has been removed', field);
  }
}

/** While a transfer moves the current posting to the ledger, the posting must not change under it. */
async function assertNoTransferInFlight(
  em: EntityManager,
  invoice: PurchaseInvoice,
): Promise<void> {
  const live =
    isLiveTransferStatus(invoice.transferStatus) ||
    (await em.count(Transfer, {
      organization: invoice.organization.id,
      invoice: invoice.id,
      status: { $in: [...LIVE_TRANSFER_STATUSES] },
    })) > 0;
  if (live) {
    throw new DomainError(
      UserErrorCode.TRANSFER_IN_PROGRESS,
      'A transfer of this invoice to accounting is in progress; change the posting when it has finished',
      ['invoiceId'],
    );
  }
}

// ---------------------------------------------------------------------------------------------
// createPurchaseInvoice
// ---------------------------------------------------------------------------------------------

/**
 * Creates a DRAFT invoice, once per idempotency key. Refuses a likely duplicate (same supplier
 * and invoice number, or same supplier, bill date and gross amount) unless `allowDuplicate`.
 */
export async function createPurchaseInvoice(
  em: EntityManager,
  sctx: ServiceContext,
  input: CreateInvoiceData,
): Promise<InvoiceResult> {
  const { caller } = sctx;
  const organizationId = authorizeOrganizationInput(caller, input.organizationId, Permission.WRITE);
  const { result } = await withIdempotency(
    em,
    { organizationId, key: input.idempotencyKey, operation: 'createPurchaseInvoice', input },
    async () => {
      const p = new Problems();
      const invoiceNumber = p.text(input.invoiceNumber, ['invoiceNumber'], {
        max: INVOICE_NUMBER_MAX,
        required: true,
        label: 'Invoice number',
      });
      const paymentReference = paymentReferenceInput(
        input.paymentReference,
        ['paymentReference'],
        p,
      );
      const currency = input.currency.trim().toUpperCase();
      if (!isIsoCurrency(currency)) {
        p.add(
          `Currency must be an ISO 4217 code such as EUR (got ${JSON.stringify(input.currency.slice(0, 20))})`,
          ['currency'],
        );
      }
      if (input.dueDate < input.billDate) {
        p.add(`The due date ${input.dueDate} is before the bill date ${input.billDate}`, [
          'dueDate',
        ]);
      }
      const kind = input.kind ?? DocumentKind.INVOICE;
      const net = p.money(input.netAmount, ['netAmount'], { label: 'Net amount', sign: 'any' });
      const vat = p.money(input.vatAmount, ['vatAmount'], { label: 'VAT amount', sign: 'any' });
      const gross = p.money(input.grossAmount, ['grossAmount'], {
        label: 'Gross amount',
        sign: 'any',
      });
      const signProblems = totalsSignProblems(kind, {
        netAmount: net,
        vatAmount: vat,
        grossAmount: gross,
      });
      for (const sp of signProblems) p.add(sp.message, sp.field ?? [], sp.code);
      if (net && vat && gross && !signProblems.length && !net.plus(vat).eq(gross)) {
        p.add(
          `Net ${formatMoney(net)} + VAT ${formatMoney(vat)} = ${formatMoney(net.plus(vat))}, not the gross amount ${formatMoney(gross)}`,
          ['grossAmount'],
        );
      }
      const supplierId = fromGlobalId(input.supplierId, 'Supplier');
      const supplier = supplierId
        ? await em.findOne(Supplier, { id: supplierId, organization: organizationId })
        : null;
      if (!supplier) p.add('Supplier not found', ['supplierId'], UserErrorCode.NOT_FOUND);
      const creditedInvoice = await resolveCreditedInvoice(
        em,
        organizationId,
        kind,
        supplier,
        input.creditedInvoiceId,
        p,
      );
      const lines = [
        ...(input.lines
          ? await normalizePostingLines(sctx.accounting, organizationId, input.lines, p)
          : []),
        ...(input.proposedLines ?? []),
      ];
      p.throwIfAny();

      const duplicates = await findDuplicates(
        em,
        organizationId,
        supplier!,
        kind,
        invoiceNumber!,
        input.billDate,
        formatMoney(gross!),
      );
      if (duplicates.length && !input.allowDuplicate) {
        throw new DomainError(
          duplicates.map((d) => ({
            code: UserErrorCode.DUPLICATE_INVOICE,
            message:
              `${supplier!.name} already has ${kind === DocumentKind.CREDIT_NOTE ? 'credit note' : 'invoice'} ${d.invoiceNumber} (id ${toGlobalId('PurchaseInvoice', d.id)}, ` +
              `bill date ${d.billDate}, gross ${d.grossAmount}${d.sameNumber ? '' : `, same bill date and gross amount`}); ` +
              'send allowDuplicate: true to create it anyway',
            field: d.sameNumber ? ['invoiceNumber'] : ['grossAmount'],
          })),
        );
      }

      const org = em.getReference(Organization, organizationId);
      const invoice = em.create(PurchaseInvoice, {
        organization: org,
        supplier: supplier!,
        kind,
        creditedInvoice,
        invoiceNumber: invoiceNumber!,
        billDate: input.billDate,
        dueDate: input.dueDate,
        paymentReference,
        currency,
        netAmount: formatMoney(net!),
        vatAmount: formatMoney(vat!),
        grossAmount: formatMoney(gross!),
        source: input.source ?? InvoiceSource.MANUAL,
        createdBy: caller.kind === 'user' ? em.getReference(User, caller.user.id) : null,
      });
      createLines(em, invoice, lines);
      recordAudit(em, {
        organizationId,
        action: 'invoice.created',
        actor: actorOf(caller),
        entityType: 'PurchaseInvoice',
        entityId: invoice.id,
        invoiceId: invoice.id,
        requestId: sctx.requestId,
        details: {
          kind,
          ...(creditedInvoice
            ? { creditedInvoiceId: toGlobalId('PurchaseInvoice', creditedInvoice.id) }
            : {}),
          invoiceNumber: invoice.invoiceNumber,
          supplierId: toGlobalId('Supplier', supplier!.id),
          billDate: invoice.billDate,
          dueDate: invoice.dueDate,
          currency,
          netAmount: invoice.netAmount,
          vatAmount: invoice.vatAmount,
          grossAmount: invoice.grossAmount,
          lines: lines.length,
          ...(duplicates.length
            ? { allowedDuplicateOf: duplicates.map((d) => toGlobalId('PurchaseInvoice', d.id)) }
            : {}),
        },
      });
      await em.flush();
      return { invoiceId: invoice.id };
    },
  );
  const invoice = await em.findOneOrFail(PurchaseInvoice, {
    id: result.invoiceId,
    organization: organizationId,
  });
  return {
    invoice,
    warnings: await warningsFor(
      sctx.accounting,
      invoice,
      (await loadLines(em, invoice)).map(lineData),
    ),
  };
}

interface DuplicateRow {
  id: string;
  invoiceNumber: string;
  billDate: string;
  grossAmount: string;
  sameNumber: boolean;
}

/**
 * Documents of the supplier and of the same kind that look like this one: an invoice and a
 * credit note may share a number. A transaction-scoped advisory lock per
 * supplier makes check-then-insert atomic: two concurrent creates of the same invoice cannot
 * both pass the check.
 */
async function findDuplicates(
  em: EntityManager,
  organizationId: string,
  supplier: Supplier,
  kind: DocumentKind,
  invoiceNumber: string,
  billDate: string,
  gross: string,
): Promise<DuplicateRow[]> {
  await em.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [
    `invoice-duplicates:${organizationId}:${supplier.id}`,
  ]);
  const rows = await em.execute<
    {
      id: string;
      invoice_number: string;
      bill_date: string;
      gross_amount: string;
      same_number: boolean;
    }[]
  >(
    `select id, invoice_number, to_char(bill_date, 'YYYY-MM-DD') as bill_date, gross_amount::text as gross_amount,
            lower(btrim(invoice_number)) = lower(?) as same_number
       from purchase_invoice
      where organization_id = ? and supplier_id = ? and kind = ? and removed_at is null and status <> 'REMOVED'
        and (lower(btrim(invoice_number)) = lower(?) or (bill_date = ?::date and gross_amount = ?::numeric))
      order by created_at, id
      limit 5`,
    [invoiceNumber, organizationId, supplier.id, kind, invoiceNumber, billDate, gross],
  );
  return rows.map((r) => ({
    id: r.id,
    invoiceNumber: r.invoice_number,
    billDate: r.bill_date,
    grossAmount: r.gross_amount,
    sameNumber: r.same_number,
  }));
}

// ---------------------------------------------------------------------------------------------
// updatePosting
// ---------------------------------------------------------------------------------------------

export interface UpdatePostingData {
  invoiceId: string;
  version: number;
  lines: PostingLineData[];
}

/**
 * Replaces the posting lines. Master-data problems come back as warnings (they block only the
 * transfer). A posted invoice stays posted, so its new lines must still add up; when they change,
 * its postingVersion goes up and `invoice.posting_changed` is raised (a correction may be due).
 */
export async function updatePosting(
  em: EntityManager,
  sctx: ServiceContext,
  input: UpdatePostingData,
): Promise<InvoiceResult> {
  const invoice = await lockInvoiceForChange(em, sctx.caller, input.invoiceId, Permission.WRITE);
  assertVersion(invoice.version, input.version, 'The invoice');
  assertNotRemoved(invoice);
  await assertNoTransferInFlight(em, invoice);
  const p = new Problems();
  const lines = await normalizePostingLines(
    sctx.accounting,
    invoice.organization.id,
    input.lines,
    p,
  );
  p.throwIfAny();
  if (invoice.posted) {
    const problems = postingProblems(invoice, lines);
    if (problems.length) {
      throw new DomainError(
        problems.map((e) => ({
          ...e,
          message: `${e.message}. The invoice is posted (document ${invoice.documentNumber}): its lines must keep adding up`,
        })),
      );
    }
  }
  const existing = await loadLines(em, invoice);
  const before = existing.map(lineData);
  if (JSON.stringify(before) !== JSON.stringify(lines)) {
    em.remove(existing);
    createLines(em, invoice, lines);
    invoice.version += 1;
    if (invoice.posted) invoice.postingVersion += 1;
    recordAudit(em, {
      organizationId: invoice.organization.id,
      action: 'invoice.posting_changed',
      actor: actorOf(sctx.caller),
      entityType: 'PurchaseInvoice',
      entityId: invoice.id,
      invoiceId: invoice.id,
      requestId: sctx.requestId,
      details: { before, after: lines, postingVersion: invoice.postingVersion },
    });
    await em.flush();
    if (invoice.posted) {
      await emitDomainEvent(em, 'invoice.posting_changed', {
        organizationId: invoice.organization.id,
        invoiceId: invoice.id,
        postingVersion: invoice.postingVersion,
        actor: actorOf(sctx.caller),
        userId: callerUserId(sctx.caller),
        requestId: sctx.requestId,
      });
    }
  }
  return { invoice, warnings: await warningsFor(sctx.accounting, invoice, lines) };
}

// ---------------------------------------------------------------------------------------------
// postInvoice
// ---------------------------------------------------------------------------------------------

/**
 * Marks the invoice posted once its lines are complete and add up to its totals, and gives it
 * the next document number of its organization and fiscal year (that of the bill date).
 */
export async function postInvoice(
  em: EntityManager,
  sctx: ServiceContext,
  input: { invoiceId: string; version: number },
): Promise<PurchaseInvoice> {
  const invoice = await lockInvoiceForChange(em, sctx.caller, input.invoiceId, Permission.WRITE);
  assertVersion(invoice.version, input.version, 'The invoice');
  assertNotRemoved(invoice);
  if (invoice.posted) {
    throw new DomainError(
      UserErrorCode.INVALID_STATE,
      `The invoice is already posted (document ${invoice.documentNumber}/${invoice.fiscalYear})`,
      ['invoiceId'],
    );
  }
  if (invoice.status === InvoiceStatus.REJECTED) {
    throw new DomainError(
      UserErrorCode.INVALID_STATE,
      'A rejected invoice is not posted: correct it and send it to circulation again first',
      ['invoiceId'],
    );
  }
  const problems = postingProblems(invoice, await loadLines(em, invoice));
  if (problems.length) throw new DomainError(problems);

  const organizationId = invoice.organization.id;
  if (invoice.documentNumber == null) {
    const fiscalYear = await fiscalYearOf(sctx.accounting, organizationId, invoice.billDate);
    invoice.documentNumber = await takeDocumentNumber(
      em,
      organizationId,
      DocumentSequenceKind.INVOICE,
      fiscalYear,
    );
    invoice.fiscalYear = fiscalYear;
  }
  invoice.posted = true;
  invoice.version += 1;
  recordAudit(em, {
    organizationId,
    action: 'invoice.posted',
    actor: actorOf(sctx.caller),
    entityType: 'PurchaseInvoice',
    entityId: invoice.id,
    invoiceId: invoice.id,
    requestId: sctx.requestId,
    details: { documentNumber: invoice.documentNumber, fiscalYear: invoice.fiscalYear },
  });
  await em.flush();
  return invoice;
}
