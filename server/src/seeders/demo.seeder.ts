/**
 * Demo data: Aurora Oy (Finland, EUR) and Borealis AB (Sweden, SEK), each with its own ledger,
 * people, suppliers, an approval process and about 14 months of purchase invoices in every
 * state, their payments, transfers, transfer reports and history.
 *
 * Order of work:
 *  1. ids for everything that the plan refers to (nothing is written yet);
 *  2. the ledgers: master data and fiscal-year periods;
 *  3. the plan (demo-plan.ts), then its transfers posted through the AccountingSystem: first
 *     those made before the old periods were closed, then close and lock, then the later ones
 *     (demo-transfers.ts) — so the ledger is exactly what the transfer engine would have made;
 *  4. every application row in one transaction, with bulk inserts.
 * Organizations are written last: a seeding that fails half-way leaves no organization behind,
 * so the next start seeds again (into fresh organization ids; the ledger keeps no foreign keys).
 */
import { randomUUID } from 'node:crypto';
import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { AccountingSystem } from '../accounting/accounting-system.js';
import { BuiltinLedger } from '../accounting/ledger/builtin-ledger.js';
import {
  createLedgerForOrganization,
  ensureFiscalYear,
} from '../accounting/ledger/ledger-setup.js';
import { hashPassword } from '../auth/password.js';
import { API_TOKEN_PREFIX, newSecret, sha256 } from '../auth/tokens.js';
import { ApiClient, ApiScope } from '../modules/api-clients/api-client.entity.js';
import {
  ApprovalProcess,
  ApprovalStage,
  ApprovalStageApprover,
} from '../modules/approval/approval-process.entity.js';
import { AuditEvent } from '../modules/audit/audit-event.entity.js';
import { BankAccount } from '../modules/bank-statements/bank-statement.entity.js';
import { demoVatMappings } from '../modules/einvoices/vat-mapping.seed.js';
import { VatMapping } from '../modules/einvoices/einvoice.entity.js';
import { DocumentSequence } from '../modules/invoices/document-sequence.entity.js';
import { InvoiceLine, PurchaseInvoice } from '../modules/invoices/invoice.entity.js';
import { Membership, Organization, Role } from '../modules/organizations/organization.entity.js';
import { Payment } from '../modules/payments/payment.entity.js';
import { Supplier } from '../modules/suppliers/supplier.entity.js';
import {
  Transfer,
  TransferBatch,
  TransferReport,
  TransferSettings,
} from '../modules/transfers/transfer.entity.js';
import { User } from '../modules/users/user.entity.js';
import {
  DEMO_ORGS,
  DEMO_PASSWORD,
  DEMO_USERS,
  supplierAccountName,
  type DemoOrgDef,
  type SupplierDef,
} from './demo-catalog.js';
import {
  demoBankAccountIban,
  finnishBusinessId,
  iban,
  swedishOrgNumber,
} from './demo-identifiers.js';
import { planOrganization } from './demo-plan.js';
import {
  demoClock,
  type DemoClock,
  type OrgCtx,
  type OrgPlan,
  type UserKey,
} from './demo-plan-types.js';
import { addDays, at, Rng, todayIso, yearOf } from './demo-random.js';
import { documentRows, type DocumentRows } from './demo-rows.js';
import { closeOldPeriods, postEarlyTransfers, postLateTransfers } from './demo-transfers.js';

export { DEMO_PASSWORD, DEMO_USERS, DEMO_ORGS } from './demo-catalog.js';
export type { DemoUser } from './demo-catalog.js';

export interface SeedDemoOptions {
  /** Seed even though the database already has organizations (not the demo ones). */
  force?: boolean;
  /** 'YYYY-MM-DD'; every date in the demo is relative to it. Defaults to the current date. */
  today?: string;
  /** Where the demo's transfers are posted. Defaults to the built-in ledger. */
  accounting?: AccountingSystem;
}

/**
 * Seeds the demo organizations. Returns false (and writes nothing) when the database already
 * has organizations, unless `force`. Throws when the demo organizations themselves exist.
 */
export async function seedDemoData(orm: MikroORM, opts: SeedDemoOptions = {}): Promise<boolean> {
  const em = orm.em.fork();
  if (!opts.force && (await em.count(Organization, {})) > 0) return false;
  const taken = await em.count(Organization, { slug: { $in: DEMO_ORGS.map((o) => o.slug) } });
  if (taken > 0) {
    throw new Error(
      'the demo organizations already exist: seeding again would duplicate them (ledger entries are never deleted)',
    );
  }
  const today = opts.today ?? todayIso();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || Number.isNaN(Date.parse(today)))
    throw new Error(`invalid today: ${today}`);
  const accounting = opts.accounting ?? new BuiltinLedger(orm);
  const clock = demoClock(today);

  const hashes = Promise.all(DEMO_USERS.map(() => hashPassword(DEMO_PASSWORD)));
  const existing = await em.find(User, { email: { $in: DEMO_USERS.map((u) => u.email) } });
  const userIds = new Map<string, string>(
    DEMO_USERS.map((u) => [u.email, existing.find((e) => e.email === u.email)?.id ?? randomUUID()]),
  );
  const orgs = DEMO_ORGS.map((def) => organizationContext(def, userIds));

  const plans = await Promise.all(
    orgs.map(async (org) => {
      await setUpLedger(orm, org, clock);
      const plan = planOrganization(org, clock);
      await postEarlyTransfers(accounting, plan);
      await closeOldPeriods(accounting, org.id, clock);
      await postLateTransfers(accounting, plan);
      return plan;
    }),
  );

  const passwordHashes = await hashes;
  await em.transactional(async (tx) => {
    await writeOrganizations(
      tx,
      plans,
      clock,
      userIds,
      passwordHashes,
      new Set(existing.map((u) => u.email)),
    );
    for (const plan of plans) await writeDocuments(tx, documentRows(plan));
  });
  return true;
}

// ------------------------------------------------------------------ ids and master data

function organizationContext(def: DemoOrgDef, userIds: Map<string, string>): OrgCtx {
  const members = DEMO_USERS.filter((u) => u.org === def.slug);
  const byRole = (role: Role) =>
    members.find((u) => u.role === role) ?? members.find((u) => u.role === Role.ADMIN)!;
  const idOf = (role: Role) => userIds.get(byRole(role).email)!;
  const users: Record<UserKey, string> = {
    admin: idOf(Role.ADMIN),
    accountant: idOf(Role.ACCOUNTANT),
    approver: idOf(Role.APPROVER),
    viewer: idOf(Role.VIEWER),
  };
  const rng = new Rng(def.seed + 1);
  return {
    def,
    id: randomUUID(),
    users,
    apiClientId: randomUUID(),
    suppliers: def.suppliers.map((s) => ({
      id: randomUUID(),
      def: s,
      accountName: supplierAccountName(s),
      ...supplierIdentifiers(rng, s),
    })),
    processId: randomUUID(),
    processName: def.approvalProcess.name,
    stages: def.approvalProcess.stages.map((s, position) => ({
      id: randomUUID(),
      name: s.name,
      position,
      transferFromThisStep: !!s.transferFromThisStep,
    })),
  };
}

function supplierIdentifiers(rng: Rng, s: SupplierDef): { businessId: string; iban: string } {
  switch (s.country) {
    case 'FI':
      return {
        businessId: finnishBusinessId(rng.int(1_000_000, 3_299_999)),
        iban: iban('FI', `${rng.pick(['1', '5', '8', '4'])}${rng.digits(13)}`),
      };
    case 'SE':
      return {
        businessId: swedishOrgNumber(rng.int(0, 999_999)),
        iban: iban('SE', `${rng.pick(['500', '800', '600'])}${rng.digits(17)}`),
      };
    case 'EE':
      return {
        businessId: `EE${rng.digits(9)}`,
        iban: iban('EE', `${rng.pick(['22', '10'])}${rng.digits(14)}`),
      };
    default:
      return { businessId: `${s.country}${rng.digits(9)}`, iban: iban(s.country, rng.digits(18)) };
  }
}

/** The organization's ledger: chart, cost units, VAT codes, supplier accounts, settings, periods. */
async function setUpLedger(orm: MikroORM, org: OrgCtx, clock: DemoClock): Promise<void> {
  const def = org.def;
  await createLedgerForOrganization(orm, org.id, {
    settings: {
      accountsPayableAccount: def.settings.accountsPayable,
      vatReceivableAccount: def.settings.vatReceivable,
      vatPayableAccount: def.settings.vatPayable,
      bankAccount: def.settings.bank,
      fiscalYearStartMonth: 1,
    },
    accounts: def.accounts.map((a) => ({
      code: a.code,
      name: a.name,
      type: a.type,
      postable: a.postable ?? true,
      active: a.active ?? true,
    })),
    costUnits: def.costUnits.map((c) => ({ code: c.code, name: c.name, active: c.active ?? true })),
    vatCodes: def.vatCodes.map((v) => ({
      code: v.code,
      name: v.name,
      rate: v.rate,
      reverseCharge: !!v.reverseCharge,
      validFrom: v.validFrom ?? null,
      validTo: v.validTo ?? null,
    })),
    supplierAccounts: org.suppliers
      .filter((s) => s.def.inLedger !== false)
      .map((s) => ({ accountName: s.accountName, name: s.def.name, businessId: s.businessId })),
  });
  for (let year = yearOf(clock.firstPeriod); year <= yearOf(clock.lastPeriod); year++) {
    await ensureFiscalYear(orm, org.id, year, 1);
  }
}

// ------------------------------------------------------------------ writing

/**
 * One INSERT per table: the rows travel as a single JSON parameter and PostgreSQL expands them
 * (jsonb_populate_recordset), in the transaction of `em`. Rows use entity property names (relations
 * by id); they are mapped to column names from the ORM metadata, so a renamed column cannot be
 * missed silently.
 */
async function insertRows(
  em: EntityManager,
  entity: EntityClass<object>,
  rows: object[],
): Promise<void> {
  if (!rows.length) return;
  const meta = em.getMetadata().get(entity.name);
  const table = meta.schema ? `"${meta.schema}"."${meta.tableName}"` : `"${meta.tableName}"`;
  const keys = Object.keys(rows[0]);
  const columns = keys.map((k) => {
    const prop = meta.properties[k as keyof typeof meta.properties];
    if (!prop?.fieldNames?.length)
      throw new Error(`demo seeder: ${entity.name} has no column for ${k}`);
    return prop.fieldNames[0];
  });
  const json = JSON.stringify(
    rows.map((row) => {
      const out: Record<string, unknown> = {};
      keys.forEach((k, i) => (out[columns[i]] = (row as Record<string, unknown>)[k]));
      return out;
    }),
  );
  const list = columns.map((c) => `"${c}"`).join(', ');
  await em.execute(
    `insert into ${table} (${list}) select ${list} from jsonb_populate_recordset(null::${table}, ?::jsonb)`,
    [json],
    'run',
  );
}

async function writeOrganizations(
  em: EntityManager,
  plans: OrgPlan[],
  clock: DemoClock,
  userIds: Map<string, string>,
  passwordHashes: string[],
  existingEmails: Set<string>,
): Promise<void> {
  const founded = at(addDays(clock.firstPeriod, -21), 8, 30);
  await insertRows(
    em,
    Organization,
    plans.map(({ org }) => ({
      id: org.id,
      slug: org.def.slug,
      name: org.def.name,
      currency: org.def.currency,
      country: org.def.country,
      createdAt: founded,
    })),
  );
  await insertRows(
    em,
    User,
    DEMO_USERS.map((u, i) => ({ u, i }))
      .filter(({ u }) => !existingEmails.has(u.email))
      .map(({ u, i }) => ({
        id: userIds.get(u.email)!,
        email: u.email,
        name: u.name,
        passwordHash: passwordHashes[i],
        active: true,
        createdAt: founded,
      })),
  );
  await insertRows(
    em,
    Membership,
    DEMO_USERS.map((u) => ({
      organization: plans.find((p) => p.org.def.slug === u.org)!.org.id,
      user: userIds.get(u.email)!,
      role: u.role,
      createdAt: founded,
    })),
  );
  for (const { org, invoices, autoSince } of plans) {
    const lastEInvoice = invoices
      .filter((i) => i.createdBy.kind === 'api')
      .reduce((m, i) => Math.max(m, i.createdAt.getTime()), 0);
    const secret = newSecret(API_TOKEN_PREFIX);
    await insertRows(em, ApiClient, [
      {
        id: org.apiClientId,
        organization: org.id,
        createdAt: founded,
        updatedAt: founded,
        name: org.def.apiClientName,
        // The token itself is thrown away: the integration is a prop, nobody can call with it.
        tokenHash: sha256(secret),
        tokenPrefix: secret.slice(0, 12),
        scopes: [ApiScope.READ, ApiScope.WRITE],
        createdBy: org.users.admin,
        lastUsedAt: lastEInvoice ? new Date(lastEInvoice) : null,
        revokedAt: null,
      },
    ]);
    await insertRows(em, ApprovalProcess, [
      {
        id: org.processId,
        organization: org.id,
        createdAt: founded,
        updatedAt: founded,
        name: org.processName,
        isDefault: true,
        version: 1,
        deletedAt: null,
      },
    ]);
    await insertRows(
      em,
      ApprovalStage,
      org.def.approvalProcess.stages.map((s, i) => ({
        id: org.stages[i].id,
        organization: org.id,
        createdAt: founded,
        updatedAt: founded,
        process: org.processId,
        position: i,
        name: s.name,
        approverRole: s.approverRole,
        transferFromThisStep: !!s.transferFromThisStep,
      })),
    );
    await insertRows(
      em,
      ApprovalStageApprover,
      org.def.approvalProcess.stages.flatMap((s, i) =>
        (s.approvers ?? []).map((email) => ({
          stage: org.stages[i].id,
          user: userIds.get(email)!,
          organization: org.id,
        })),
      ),
    );
    await insertRows(em, TransferSettings, [
      { organization: org.id, ...org.def.transferSettings, updatedAt: autoSince ?? founded },
    ]);
    await insertRows(em, VatMapping, demoVatMappings(org.id, org.def.vatCodes, founded));
    // The account the organization's bank statements are for.
    await insertRows(em, BankAccount, [
      {
        id: randomUUID(),
        organization: org.id,
        createdAt: founded,
        updatedAt: founded,
        identifier: demoBankAccountIban(org.def.country),
        currency: org.def.currency,
        name: 'Operating account',
      },
    ]);
  }
}

async function writeDocuments(em: EntityManager, rows: DocumentRows): Promise<void> {
  await insertRows(em, Supplier, rows.suppliers);
  await insertRows(em, PurchaseInvoice, rows.invoices);
  await insertRows(em, InvoiceLine, rows.lines);
  await insertRows(em, Payment, rows.payments);
  await insertRows(em, TransferBatch, rows.batches);
  await insertRows(em, Transfer, rows.transfers);
  await insertRows(em, TransferReport, rows.reports);
  await insertRows(em, AuditEvent, rows.audit);
  await insertRows(em, DocumentSequence, rows.sequences);
}
