/**
 * Fixture factories for tests: a tenant with users of every role, tokens of every scope, a
 * ledger with master data, suppliers and an approval process; invoices in any state.
 */
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Decimal } from 'decimal.js';
import { createLedgerForOrganization } from '../accounting/ledger/ledger-setup.js';
import { hashPassword } from '../auth/password.js';
import { formatMoney } from '../common/money.js';
import { toGlobalId } from '../common/ids.js';
import { ApiScope } from '../modules/api-clients/api-client.entity.js';
import { createApiClient } from '../modules/api-clients/api-client.service.js';
import { ApprovalProcess, ApprovalStage } from '../modules/approval/approval-process.entity.js';
import {
  DocumentSequence,
  DocumentSequenceKind,
} from '../modules/invoices/document-sequence.entity.js';
import { InvoiceLine, InvoiceStatus, PurchaseInvoice } from '../modules/invoices/invoice.entity.js';
import { DocumentKind } from '../modules/invoices/invoice.enums.js';
import { Membership, Organization, Role } from '../modules/organizations/organization.entity.js';
import { Supplier } from '../modules/suppliers/supplier.entity.js';
import { TransferSettings } from '../modules/transfers/transfer.entity.js';
import { User } from '../modules/users/user.entity.js';

export const TEST_PASSWORD = 'correct horse battery';

let passwordHash: Promise<string> | undefined;

export interface Tenant {
  org: Organization;
  /** Global id, as the API takes it. */
  orgId: string;
  users: Record<'admin' | 'accountant' | 'approver' | 'viewer', User>;
  /** Bearer tokens by scope. */
  tokens: Record<'read' | 'write' | 'export' | 'admin', string>;
  suppliers: Supplier[];
  process: ApprovalProcess;
  stages: ApprovalStage[];
}

export const TEST_VAT_CODES = [
  { code: 'VAT255', name: 'Standard 25.5 %', rate: '25.50', validFrom: '2024-09-01' },
  { code: 'VAT14', name: 'Reduced 14 %', rate: '14.00', validTo: '2025-12-31' },
  { code: 'VAT135', name: 'Reduced 13.5 %', rate: '13.50', validFrom: '2026-01-01' },
  { code: 'VAT0', name: 'Zero rated', rate: '0.00' },
  { code: 'EURC', name: 'EU reverse charge', rate: '25.50', reverseCharge: true },
];

/** Creates an organization with everything a test needs. `slug` must be unique per database. */
export async function createTenant(
  orm: MikroORM,
  slug: string,
  opts: { supplierCount?: number } = {},
): Promise<Tenant> {
  const em = orm.em.fork();
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const hash = await passwordHash;
  const org = em.create(Organization, { slug, name: `${slug} Oy`, currency: 'EUR', country: 'FI' });
  const mkUser = (role: Role) => {
    const user = em.create(User, {
      email: `${role.toLowerCase()}@${slug}.test`,
      name: `${role} of ${slug}`,
      passwordHash: hash,
    });
    em.create(Membership, { organization: org, user, role });
    return user;
  };
  const users = {
    admin: mkUser(Role.ADMIN),
    accountant: mkUser(Role.ACCOUNTANT),
    approver: mkUser(Role.APPROVER),
    viewer: mkUser(Role.VIEWER),
  };
  const suppliers = Array.from({ length: opts.supplierCount ?? 3 }, (_, i) =>
    em.create(Supplier, {
      organization: org,
      name: `Supplier ${i + 1} of ${slug}`,
      accountName: `SUP-${i + 1}`,
    }),
  );
  const process = em.create(ApprovalProcess, {
    organization: org,
    name: 'Standard',
    isDefault: true,
  });
  const stages = [
    em.create(ApprovalStage, {
      organization: org,
      process,
      position: 0,
      name: 'Inspection',
      approverRole: Role.APPROVER,
    }),
    em.create(ApprovalStage, {
      organization: org,
      process,
      position: 1,
      name: 'Approval',
      approverRole: Role.APPROVER,
    }),
    em.create(ApprovalStage, {
      organization: org,
      process,
      position: 2,
      name: 'Accounting check',
      approverRole: Role.ACCOUNTANT,
      transferFromThisStep: true,
    }),
  ];
  em.create(TransferSettings, { organization: org });
  await em.flush();

  const tokens = {} as Tenant['tokens'];
  for (const scope of ['read', 'write', 'export', 'admin'] as const) {
    tokens[scope] = (
      await createApiClient(em, org, `${scope} token`, [scope as ApiScope], null)
    ).token;
  }

  const thisYear = new Date().getUTCFullYear();
  await createLedgerForOrganization(orm, org.id, {
    accounts: [
      { code: '4000', name: 'Purchases', type: 'EXPENSE', postable: false },
      { code: '4010', name: 'Materials', type: 'EXPENSE' },
      { code: '6800', name: 'Office supplies', type: 'EXPENSE' },
      { code: '7300', name: 'IT services', type: 'EXPENSE' },
      { code: '7390', name: 'Old expenses', type: 'EXPENSE', active: false },
    ],
    costUnits: [
      { code: 'ADM', name: 'Administration' },
      { code: 'SAL', name: 'Sales' },
      { code: 'OLD', name: 'Closed unit', active: false },
    ],
    vatCodes: TEST_VAT_CODES,
    supplierAccounts: suppliers.map((s) => ({ accountName: s.accountName, name: s.name })),
    fiscalYears: [thisYear - 2, thisYear - 1, thisYear, thisYear + 1],
  });
  return {
    org,
    orgId: toGlobalId('Organization', org.id),
    users,
    tokens,
    suppliers,
    process,
    stages,
  };
}

export interface LineSpec {
  accountCode?: string;
  costUnitCode?: string | null;
  vatCode?: string;
  netAmount: string;
  vatRate?: string;
  description?: string;
}

export interface InvoiceSpec {
  supplier?: Supplier;
  /** INVOICE by default; a credit note's lines are given negative. */
  kind?: DocumentKind;
  creditedInvoice?: PurchaseInvoice | null;
  invoiceNumber?: string;
  billDate?: string;
  dueDate?: string;
  status?: InvoiceStatus;
  /** Lines (default one line of 100.00 + 25.5 %). Totals follow the lines. */
  lines?: LineSpec[];
  posted?: boolean;
  /** Assigns the next document number when posted (default true when posted). */
  numbered?: boolean;
  stage?: ApprovalStage | null;
  ledgerVersion?: number | null;
}

let invoiceCounter = 0;

/** Inserts an invoice directly (bypassing the API) in the state asked for. */
export async function createInvoice(
  em: EntityManager,
  tenant: Tenant,
  spec: InvoiceSpec = {},
): Promise<PurchaseInvoice> {
  const billDate = spec.billDate ?? new Date().toISOString().slice(0, 10);
  const lineSpecs = spec.lines ?? [{ netAmount: '100.00' }];
  const lines = lineSpecs.map((l) => {
    const rate = l.vatRate ?? '25.50';
    const vat = new Decimal(l.netAmount)
      .times(rate)
      .dividedBy(100)
      .toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    return {
      accountCode: l.accountCode ?? '4010',
      costUnitCode: l.costUnitCode === undefined ? 'ADM' : l.costUnitCode,
      vatCode: l.vatCode ?? 'VAT255',
      netAmount: formatMoney(l.netAmount),
      vatAmount: formatMoney(vat),
      description: l.description ?? null,
    };
  });
  const net = lines.reduce((a, l) => a.plus(l.netAmount), new Decimal(0));
  const vat = lines.reduce((a, l) => a.plus(l.vatAmount), new Decimal(0));
  const status = spec.status ?? InvoiceStatus.APPROVED;
  const posted = spec.posted ?? status !== InvoiceStatus.DRAFT;
  const numbered = spec.numbered ?? posted;
  const fiscalYear = Number(billDate.slice(0, 4));
  let documentNumber: number | null = null;
  if (numbered) {
    const seq =
      (await em.findOne(DocumentSequence, {
        organization: tenant.org.id,
        kind: DocumentSequenceKind.INVOICE,
        fiscalYear,
      })) ??
      em.create(DocumentSequence, {
        organization: tenant.org,
        kind: DocumentSequenceKind.INVOICE,
        fiscalYear,
        nextNumber: 1,
      });
    documentNumber = seq.nextNumber;
    seq.nextNumber += 1;
  }
  const stage =
    spec.stage !== undefined
      ? spec.stage
      : status === InvoiceStatus.IN_CIRCULATION
        ? tenant.stages[0]
        : null;
  const invoice = em.create(PurchaseInvoice, {
    organization: tenant.org,
    supplier: spec.supplier ?? tenant.suppliers[0],
    kind: spec.kind ?? DocumentKind.INVOICE,
    creditedInvoice: spec.creditedInvoice ?? null,
    invoiceNumber:
      spec.invoiceNumber ?? `INV-${++invoiceCounter}-${Math.random().toString(36).slice(2, 8)}`,
    billDate,
    dueDate: spec.dueDate ?? billDate,
    currency: 'EUR',
    netAmount: formatMoney(net),
    vatAmount: formatMoney(vat),
    grossAmount: formatMoney(net.plus(vat)),
    status,
    posted,
    documentNumber,
    fiscalYear: numbered ? fiscalYear : null,
    approvalProcess: status === InvoiceStatus.DRAFT ? null : tenant.process,
    currentStage: stage,
    ledgerVersion: spec.ledgerVersion ?? null,
  });
  lines.forEach((l, position) =>
    em.create(InvoiceLine, { organization: tenant.org, invoice, position, ...l }),
  );
  await em.flush();
  return invoice;
}

export function gid(type: Parameters<typeof toGlobalId>[0], id: string): string {
  return toGlobalId(type, id);
}
