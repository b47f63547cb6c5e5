import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { AccountingSystem, EntryInfo } from './accounting/accounting-system.js';
import { ApprovalStage } from './modules/approval/approval-process.entity.js';
import { InvoiceLine, PurchaseInvoice } from './modules/invoices/invoice.entity.js';
import { Payment } from './modules/payments/payment.entity.js';
import { Supplier } from './modules/suppliers/supplier.entity.js';
import { Transfer } from './modules/transfers/transfer.entity.js';
import { User } from './modules/users/user.entity.js';

/** Batches the lookups fields make per row, so a page of 100 invoices costs a few queries. */
export interface Loaders {
  supplier: DataLoader<string, Supplier | null>;
  stage: DataLoader<string, ApprovalStage | null>;
  invoiceLines: DataLoader<string, InvoiceLine[]>;
  /** Callers check the organization of what they get. */
  invoice: DataLoader<string, PurchaseInvoice | null>;
  payment: DataLoader<string, Payment | null>;
  transfer: DataLoader<string, Transfer | null>;
  user: DataLoader<string, User | null>;
  /** Keyed by `${organizationId}:${entryId}`. */
  ledgerEntry: DataLoader<string, EntryInfo | null>;
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
      byId(await em.find(ApprovalStage, { id: { $in: [...ids] } }), ids),
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
    user: new DataLoader(async (ids) => byId(await em.find(User, { id: { $in: [...ids] } }), ids)),
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
