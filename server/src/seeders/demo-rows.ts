/**
 * Turns a played-out plan into table rows (in `em.insertMany` shape: relations by id), ready
 * to be written in one transaction.
 */
import { randomUUID } from 'node:crypto';
import { DocumentSequenceKind } from '../modules/invoices/document-sequence.entity.js';
import { InvoiceStatus } from '../modules/invoices/invoice.entity.js';
import {
  BatchStatus,
  DocumentType,
  TransferKind,
  TransferStatus,
  TransferTrigger,
  type TransferErrorDetail,
} from '../modules/transfers/transfer.enums.js';
import {
  type AuditRow,
  AUTOMATIC_TRANSFER,
  invoiceHistory,
  invoiceVersion,
} from './demo-history.js';
import { demoPaymentReference } from './demo-identifiers.js';
import type { OrgPlan, PlanInvoice, PlanTransfer } from './demo-plan-types.js';
import { at, yearOf } from './demo-random.js';

type Row = Record<string, unknown>;

export interface DocumentRows {
  suppliers: Row[];
  invoices: Row[];
  lines: Row[];
  payments: Row[];
  batches: Row[];
  transfers: Row[];
  reports: Row[];
  audit: AuditRow[];
  sequences: Row[];
}

function statusOf(inv: PlanInvoice): InvoiceStatus {
  switch (inv.target) {
    case 'DRAFT':
      return InvoiceStatus.DRAFT;
    case 'STAGE':
      return InvoiceStatus.IN_CIRCULATION;
    case 'DONE':
      return InvoiceStatus.APPROVED;
    case 'REJECTED':
      return InvoiceStatus.REJECTED;
    default:
      return InvoiceStatus.REMOVED;
  }
}

function last<T>(items: T[]): T | undefined {
  return items[items.length - 1];
}

function maxTime(dates: Array<Date | null | undefined>): Date {
  return new Date(Math.max(...dates.filter((d): d is Date => !!d).map((d) => d.getTime())));
}

function ledgerColumns(t: PlanTransfer | undefined) {
  const transferred = t?.status === 'TRANSFERRED';
  return {
    ledgerVersion: transferred ? t!.documentVersion : null,
    ledgerEntryId: transferred ? t!.entry!.id : null,
    transferStatus: t
      ? t.status === 'TRANSFERRED'
        ? TransferStatus.TRANSFERRED
        : TransferStatus.FAILED
      : null,
    lastTransferId: t?.id ?? null,
  };
}

export function documentRows(plan: OrgPlan): DocumentRows {
  const org = plan.org;
  const out: DocumentRows = {
    suppliers: [],
    invoices: [],
    lines: [],
    payments: [],
    batches: [],
    transfers: [],
    reports: [],
    audit: [],
    sequences: [],
  };

  // Suppliers: created in Ledgerlink a while before their first invoice arrived.
  for (const s of org.suppliers) {
    const first = plan.invoices
      .filter((i) => i.supplier.id === s.id)
      .map((i) => i.createdAt.getTime());
    const createdAt = first.length
      ? new Date(Math.min(...first) - (s.def.inLedger === false ? 2 : 30) * 86_400_000)
      : at(plan.clock.firstBill, 8);
    out.suppliers.push({
      id: s.id,
      organization: org.id,
      createdAt,
      updatedAt: createdAt,
      name: s.def.name,
      accountName: s.accountName,
      businessId: s.businessId,
      iban: s.iban,
      country: s.def.country,
    });
  }

  for (const [n, inv] of plan.invoices.entries()) {
    const history = invoiceHistory(plan, inv);
    out.audit.push(...history);
    const lastTransfer = last(inv.transfers);
    const posted = !!inv.postedAt;
    out.invoices.push({
      id: inv.id,
      organization: org.id,
      createdAt: inv.createdAt,
      updatedAt: maxTime(history.filter((h) => h.entityType !== 'Payment').map((h) => h.at)),
      supplier: inv.supplier.id,
      invoiceNumber: inv.invoiceNumber,
      billDate: inv.billDate,
      dueDate: inv.dueDate,
      // Finnish suppliers ask for a Finnish reference: the statement import matches by it.
      paymentReference: inv.supplier.def.country === 'FI' ? demoPaymentReference(n) : null,
      currency: org.def.currency,
      netAmount: inv.netAmount,
      vatAmount: inv.vatAmount,
      grossAmount: inv.grossAmount,
      status: statusOf(inv),
      posted,
      documentNumber: inv.documentNumber,
      fiscalYear: inv.fiscalYear,
      approvalProcess: inv.sentAt ? org.processId : null,
      currentStage: inv.target === 'STAGE' ? org.stages[inv.stage].id : null,
      version: invoiceVersion(history),
      postingVersion: inv.fixed ? 2 : 1,
      ...ledgerColumns(lastTransfer),
      createdBy: inv.createdBy.kind === 'user' ? inv.createdBy.userId : null,
      removedAt: inv.removed?.at ?? null,
    });
    if (inv.coded && inv.codedAt) {
      inv.lines.forEach((l, i) => {
        out.lines.push({
          id: randomUUID(),
          organization: org.id,
          createdAt: inv.codedAt,
          updatedAt: inv.fix?.at ?? inv.codedAt,
          invoice: inv.id,
          position: i + 1,
          ...l,
        });
      });
    }
    for (const p of inv.payments) {
      const t = p.transfer ?? undefined;
      out.payments.push({
        id: p.id,
        organization: org.id,
        createdAt: p.recordedAt,
        updatedAt: t?.finishedAt ?? p.recordedAt,
        invoice: inv.id,
        amount: p.amount,
        paymentDate: p.paymentDate,
        source: p.source,
        bankReference: p.bankReference,
        documentNumber: p.documentNumber,
        fiscalYear: p.fiscalYear,
        version: 1,
        postingVersion: 1,
        ...ledgerColumns(t),
        createdBy: p.recordedBy.kind === 'user' ? p.recordedBy.userId : null,
        removedAt: null,
      });
    }
  }

  for (const b of plan.batches) {
    if (!b.transfers.length) continue;
    const finishedAt = maxTime(b.transfers.map((t) => t.finishedAt));
    out.batches.push({
      id: b.id,
      organization: org.id,
      createdAt: b.createdAt,
      updatedAt: finishedAt,
      documentType: b.documentType as DocumentType,
      trigger: b.trigger as TransferTrigger,
      total: b.transfers.length,
      status: BatchStatus.DONE,
      requestedByUser: b.requestedBy,
      requestedByApiClient: null,
      finishedAt,
    });
    for (const t of b.transfers) {
      const doc = t.payment;
      out.transfers.push({
        id: t.id,
        organization: org.id,
        createdAt: t.queuedAt,
        updatedAt: t.finishedAt,
        documentType: t.documentType as DocumentType,
        invoice: doc ? null : t.invoice.id,
        payment: doc ? doc.id : null,
        documentVersion: t.documentVersion,
        kind: TransferKind.POST,
        status: t.status === 'TRANSFERRED' ? TransferStatus.TRANSFERRED : TransferStatus.FAILED,
        trigger: t.trigger as TransferTrigger,
        batch: b.id,
        attempts: 1,
        nextAttemptAt: null,
        heartbeatAt: null,
        originalDate: t.entry?.documentDate ?? (doc ? doc.paymentDate : t.invoice.billDate),
        postingDate: t.entry?.postingDate ?? null,
        errors: t.errors,
        ledgerEntryId: t.entry?.id ?? null,
        reversesEntryId: null,
        requestedByUser: t.requestedBy,
        requestedByApiClient: null,
        performer: t.trigger === 'AUTOMATIC' ? AUTOMATIC_TRANSFER : null,
        finishedAt: t.finishedAt,
      });
    }
    const failed = b.transfers.filter((t) => t.status === 'FAILED');
    if (failed.length) {
      out.reports.push({
        id: randomUUID(),
        organization: org.id,
        createdAt: finishedAt,
        updatedAt: finishedAt,
        batch: b.id,
        trigger: b.trigger as TransferTrigger,
        total: b.transfers.length,
        notTransferred: failed.length,
        items: failed.map((t) => ({
          transferId: t.id,
          invoiceId: t.invoice.id,
          paymentId: t.payment?.id ?? null,
          errors: t.errors as TransferErrorDetail[],
        })),
      });
    }
  }

  // Next document numbers: one past the highest used, per fiscal year (gapless by construction).
  const sequence = (
    kind: DocumentSequenceKind,
    numbered: Array<{ fiscalYear: number | null; documentNumber: number | null }>,
  ) => {
    const max = new Map<number, number>();
    for (const d of numbered)
      if (d.fiscalYear != null && d.documentNumber != null)
        max.set(d.fiscalYear, Math.max(max.get(d.fiscalYear) ?? 0, d.documentNumber));
    const current = yearOf(plan.clock.today);
    if (!max.has(current)) max.set(current, 0);
    for (const [fiscalYear, n] of [...max].sort((a, b) => a[0] - b[0])) {
      out.sequences.push({ organization: org.id, kind, fiscalYear, nextNumber: n + 1 });
    }
  };
  sequence(DocumentSequenceKind.INVOICE, plan.invoices);
  sequence(
    DocumentSequenceKind.PAYMENT,
    plan.invoices.flatMap((i) => i.payments),
  );
  return out;
}
