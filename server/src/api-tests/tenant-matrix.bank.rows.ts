/** Tenant matrix rows: bank statements (import and the match queue). */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { finnishCheckDigit } from '../modules/bank-statements/payment-reference.js';
import { InvoiceStatus } from '../modules/invoices/invoice.entity.js';
import { iban } from '../seeders/demo-identifiers.js';
import { createInvoice, gid, TEST_PASSWORD, type Tenant } from '../testing/factories.js';
import {
  ADMINS,
  EVERYONE,
  UE,
  WRITERS,
  type MatrixContext,
  type Row,
  type Target,
} from './tenant-matrix.helpers.js';

export function bankRows(ctx: MatrixContext): Record<string, Row> {
  const { tenantOf, missing, fixture, em, today } = ctx;

  // An account per tenant, documents for it, and queued entries to resolve.
  const bankIban = 'FI2112345600000785';
  const bankAccount = (tenant: Tenant) =>
    fixture('bankAccount', tenant === ctx.B ? 'foreign' : 'own', false, async () => {
      await ctx.srv.db.sql(
        `insert into bank_account (id, organization_id, identifier, currency, name) values ($1, $2, $3, 'EUR', 'Main')`,
        [randomUUID(), tenant.org.id, bankIban],
      );
      return bankIban;
    });
  const bankDocument = async (tenant: Tenant, entry = '') => {
    await bankAccount(tenant);
    const id = randomUUID();
    return `<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId></GrpHdr><Stmt><Id>MX-${id}</Id><Acct><Id><IBAN>${bankIban}</IBAN></Id><Ccy>EUR</Ccy></Acct>${entry}</Stmt></BkToCstmrStmt></Document>`;
  };
  let bankRef = 100;
  let nextIban = 1000;
  /** A queued entry (a partial payment of an approved invoice, so it has a suggestion). */
  const queuedEntry = (t: Target, fresh: boolean) =>
    fixture('queuedEntry', t, fresh, async (tenant) => {
      const inv = await createInvoice(em(), tenant, { status: InvoiceStatus.APPROVED });
      const base = String(bankRef++);
      const reference = `${base}${finnishCheckDigit(base)}`;
      await ctx.srv.db.sql(`update purchase_invoice set payment_reference = $2 where id = $1`, [
        inv.id,
        reference,
      ]);
      const doc = await bankDocument(
        tenant,
        `<Ntry><Amt Ccy="EUR">10.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>${today}</Dt></BookgDt><AcctSvcrRef>${randomUUID()}</AcctSvcrRef><NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf><Ref>${reference}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>`,
      );
      const accountant = await ctx.srv.login(`accountant@${tenant.org.slug}.test`, TEST_PASSWORD);
      const r = await accountant(
        `mutation($i: ImportBankStatementInput!) { importBankStatement(input: $i) { statements { statement { id entries(first: 1) { nodes { id matchState } } } } ${UE} } }`,
        { i: { organizationId: tenant.orgId, document: doc, idempotencyKey: randomUUID() } },
      );
      expect(r.data!.importBankStatement.userErrors).toEqual([]);
      const statement = r.data!.importBankStatement.statements[0].statement;
      expect(statement.entries.nodes[0].matchState).toBe('QUEUED');
      return {
        statementId: statement.id as string,
        entryId: statement.entries.nodes[0].id as string,
        invoiceId: gid('PurchaseInvoice', inv.id),
      };
    });
  const entryOf = async (t: Target, fresh: boolean) =>
    t === 'missing' ? missing('BankStatementEntry') : (await queuedEntry(t, fresh)).entryId;

  return {
    bankStatement: {
      kind: 'query',
      allow: EVERYONE,
      scoped: true,
      op: async (t) => ({
        query: `query($id: ID!) { bankStatement(id: $id) { id statementId } }`,
        variables: {
          id:
            t === 'missing' ? missing('BankStatement') : (await queuedEntry(t, false)).statementId,
        },
      }),
    },
    importBankStatement: {
      kind: 'mutation',
      allow: WRITERS,
      scoped: true,
      op: async (t) => ({
        query: `mutation($i: ImportBankStatementInput!) { importBankStatement(input: $i) { statements { duplicate statement { id } } importedEntries ${UE} } }`,
        variables: {
          i: {
            organizationId: t === 'missing' ? missing('Organization') : tenantOf(t).orgId,
            document: await bankDocument(tenantOf(t)),
            idempotencyKey: randomUUID(),
          },
        },
      }),
    },
    confirmBankEntryMatch: {
      kind: 'mutation',
      allow: WRITERS,
      scoped: true,
      op: async (t, fresh) => ({
        query: `mutation($i: ConfirmBankEntryMatchInput!) { confirmBankEntryMatch(input: $i) { entry { id matchState } ${UE} } }`,
        variables: { i: { entryId: await entryOf(t, fresh) } },
      }),
    },
    assignBankEntry: {
      kind: 'mutation',
      allow: WRITERS,
      scoped: true,
      op: async (t, fresh) => {
        const e =
          t === 'missing'
            ? { entryId: missing('BankStatementEntry'), invoiceId: missing('PurchaseInvoice') }
            : await queuedEntry(t, fresh);
        return {
          query: `mutation($i: AssignBankEntryInput!) { assignBankEntry(input: $i) { entry { id matchState } ${UE} } }`,
          variables: {
            i: { entryId: e.entryId, allocations: [{ invoiceId: e.invoiceId, amount: '10.00' }] },
          },
        };
      },
    },
    ignoreBankEntry: {
      kind: 'mutation',
      allow: WRITERS,
      scoped: true,
      op: async (t, fresh) => ({
        query: `mutation($i: IgnoreBankEntryInput!) { ignoreBankEntry(input: $i) { entry { id matchState } ${UE} } }`,
        variables: { i: { entryId: await entryOf(t, fresh), reason: 'Not ours' } },
      }),
    },
    addBankAccount: {
      kind: 'mutation',
      allow: ADMINS,
      scoped: true,
      op: async (t) => ({
        query: `mutation($i: AddBankAccountInput!) { addBankAccount(input: $i) { bankAccount { id } ${UE} } }`,
        variables: {
          i: {
            organizationId: t === 'missing' ? missing('Organization') : tenantOf(t).orgId,
            // A fresh valid IBAN per call, so an allowed call is never a duplicate.
            iban: iban('FI', `1234560000${String(nextIban++).padStart(4, '0')}`),
            currency: 'EUR',
            name: 'Matrix',
          },
        },
      }),
    },
  };
}
