import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { AccountingSystem, EntryInfo, MasterData } from './accounting/accounting-system.js';
import { ApiClient } from './modules/api-clients/api-client.entity.js';
import { ApprovalProcess, ApprovalStage } from './modules/approval/approval-process.entity.js';
import { InvoiceLine, PurchaseInvoice } from './modules/invoices/invoice.entity.js';
import { Payment } from './modules/payments/payment.entity.js';
import { settlementsOf, type Settlement } from './modules/payments/settlement.js';
import { Supplier } from './modules/suppliers/supplier.entity.js';
import { Transfer, TransferBatch } from './modules/transfers/transfer.entity.js';
import { User } from './modules/users/user.entity.js';

/** Batches the lookups fields make per row, so a page of 100 invoices costs a few queries. */
export interface Loaders {
  supplier: DataLoader<string, Supplier | null>;
  /** With its approvers (and their users). */
  stage: DataLoader<string, ApprovalStage | null>;
  /** With its stages, their approvers and users. */
  approvalProcess: DataLoader<string, ApprovalProcess | null>;
  invoiceLines: DataLoader<string, InvoiceLine[]>;
  /** Callers check the organization of what they get. */
  invoice: DataLoader<string, PurchaseInvoice | null>;
  payment: DataLoader<string, Payment | null>;
  transfer: DataLoader<string, Transfer | null>;
  batch: DataLoader<string, TransferBatch | null>;
  apiClient: DataLoader<string, ApiClient | null>;
  /** An invoice's transfers, newest first. */
  invoiceTransfers: DataLoader<string, Transfer[]>;
  /** An invoice's payments that are not removed, by payment date and number. */
  invoicePayments: DataLoader<string, Payment[]>;
  /** Keyed by `${organizationId}:${invoiceId}`: paid, offset and open amount of a document. */
  settlement: DataLoader<string, Settlement | null>;
  user: DataLoader<string, User | null>;
  /** The ledger's master data (accounts, cost units, VAT codes) by organization id. */
  masterData: DataLoader<string, MasterData>;
  /** Keyed by `${organizationId}:${entryId}`. */
  ledgerEntry: DataLoader<string, EntryInfo | null>;
}

function grouped<T>(rows: T[], keys: readonly string[], keyOf: (row: T) => string): T[][] {
  const map = new Map<string, T[]>();
  for (const row of rows) map.set(keyOf(row), [...(map.get(keyOf(row)) ?? []), row]);
  return keys.map((k) => map.get(k) ?? []);
}

function byId<T extends { id: string }>(rows: T[], ids: readonly string[]): (T | null)[] {
  const map = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => map.get(id) ?? null);
}

export function createLoaders(em: EntityManager, accounting: AccountingSystem): Loaders {
  return {
    supplier: new DataLoader(async (ids) =>
      byId(await em.find(Supplier, { id: { $in: [...ids] } }), ids),
    ),
    stage: new DataLoader(async (ids) =>
      byId(
        await em.find(
          ApprovalStage,
          { id: { $in: [...ids] } },
          { populate: ['approvers', 'approvers.user'] },
        ),
        ids,
      ),
    ),
    approvalProcess: new DataLoader(async (ids) =>
      byId(
        await em.find(
          ApprovalProcess,
          { id: { $in: [...ids] } },
          { populate: ['stages', 'stages.approvers.user'] },
        ),
        ids,
      ),
    ),
    invoiceLines: new DataLoader(async (invoiceIds) => {
      const lines = await em.find(
        InvoiceLine,
        { invoice: { $in: [...invoiceIds] } },
        { orderBy: { position: 'asc' } },
      );
      return invoiceIds.map((id) => lines.filter((l) => l.invoice.id === id));
    }),
    invoice: new DataLoader(async (ids) =>
      byId(await em.find(PurchaseInvoice, { id: { $in: [...ids] } }), ids),
    ),
    payment: new DataLoader(async (ids) =>
      byId(await em.find(Payment, { id: { $in: [...ids] } }), ids),
    ),
    transfer: new DataLoader(async (ids) =>
      byId(await em.find(Transfer, { id: { $in: [...ids] } }), ids),
    ),
    batch: new DataLoader(async (ids) =>
      byId(await em.find(TransferBatch, { id: { $in: [...ids] } }), ids),
    ),
    apiClient: new DataLoader(async (ids) =>
      byId(await em.find(ApiClient, { id: { $in: [...ids] } }), ids),
    ),
    invoiceTransfers: new DataLoader(async (invoiceIds) =>
      grouped(
        await em.find(
          Transfer,
          { invoice: { $in: [...invoiceIds] } },
          { orderBy: { createdAt: 'desc', id: 'desc' } },
        ),
        invoiceIds,
        (t) => t.invoice!.id,
      ),
    ),
    invoicePayments: new DataLoader(async (invoiceIds) =>
      grouped(
        await em.find(
          Payment,
          { invoice: { $in: [...invoiceIds] }, removedAt: null },
          { orderBy: { paymentDate: 'asc', documentNumber: 'asc' } },
        ),
        invoiceIds,
        (p) => p.invoice.id,
      ),
    ),
    settlement: new DataLoader((keys) => settlementsOf(em, keys)),
    user: new DataLoader(async (ids) => byId(await em.find(User, { id: { $in: [...ids] } }), ids)),
    masterData: new DataLoader(async (orgs) =>
      Promise.all(orgs.map((org) => accounting.getMasterData(org))),
    ),
    ledgerEntry: new DataLoader(async (keys) => {
      const byOrg = new Map<string, string[]>();
      for (const key of keys) {
        const [org, id] = key.split(':');
        byOrg.set(org, [...(byOrg.get(org) ?? []), id]);
      }
      const found = new Map<string, EntryInfo>();
      for (const [org, ids] of byOrg) {
        for (const entry of await accounting.getEntries(org, ids))
          found.set(`${org}:${entry.id}`, entry);
      }
      return keys.map((k) => found.get(k) ?? null);
    }),
  };
}
