import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, gid, TEST_PASSWORD, type Tenant } from '../../testing/factories.js';
import { startTestServer, type GqlClient, type TestServer } from '../../testing/server.js';
import { buildCamt } from './camt.writer.js';

const ADD = `mutation($i: AddBankAccountInput!) { addBankAccount(input: $i) {
  bankAccount { id identifier currency name } userErrors { code message field } } }`;

/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL results are checked by shape */
describe('addBankAccount', () => {
  let srv: TestServer;
  let A: Tenant;
  let B: Tenant;
  let admin: GqlClient;
  const accounts = async () =>
    srv.db.sql<{ organization_id: string; identifier: string }>(
      'select organization_id, identifier from bank_account order by identifier',
    );

  beforeAll(async () => {
    srv = await startTestServer({ env: { LEDGERLINK_WORKER: 'off' } });
    A = await createTenant(srv.db.orm, 'baa');
    B = await createTenant(srv.db.orm, 'bab');
    admin = await srv.login('admin@baa.test', TEST_PASSWORD);
  });
  afterAll(() => srv?.stop());

  it('registers an IBAN in its electronic form, and its statements can then be imported', async () => {
    const r: any = await admin(ADD, {
      i: {
        organizationId: A.orgId,
        iban: 'fi21 1234 5600 0007 85',
        currency: 'eur',
        name: ' Main ',
      },
    });
    expect(r.data.addBankAccount).toMatchObject({
      userErrors: [],
      bankAccount: { identifier: 'FI2112345600000785', currency: 'EUR', name: 'Main' },
    });
    const doc = buildCamt({
      iban: 'FI2112345600000785',
      statementId: `S-${randomUUID()}`,
      entries: [],
    });
    const accountant = await srv.login('accountant@baa.test', TEST_PASSWORD);
    const imported: any = await accountant(
      `mutation($i: ImportBankStatementInput!) { importBankStatement(input: $i) { importedEntries userErrors { code } } }`,
      { i: { organizationId: A.orgId, document: doc, idempotencyKey: randomUUID() } },
    );
    expect(imported.data.importBankStatement.userErrors).toEqual([]);
  });

  it('refuses a second registration, a bad IBAN, currency or name, and writes nothing', async () => {
    const before = await accounts();
    const dup: any = await admin(ADD, {
      i: { organizationId: A.orgId, iban: 'FI2112345600000785', currency: 'EUR', name: 'Again' },
    });
    expect(dup.data.addBankAccount.userErrors).toEqual([
      expect.objectContaining({ code: 'DUPLICATE_BANK_ACCOUNT', field: ['iban'] }),
    ]);
    const bad: any = await admin(ADD, {
      i: { organizationId: A.orgId, iban: 'FI2112345600000786', currency: 'EURO', name: '' },
    });
    expect(bad.data.addBankAccount.bankAccount).toBeNull();
    expect(bad.data.addBankAccount.userErrors.map((e: any) => e.field[0])).toEqual([
      'iban',
      'currency',
      'name',
    ]);
    expect(bad.data.addBankAccount.userErrors[0].message).toMatch(/not a valid IBAN/);
    expect(await accounts()).toEqual(before);
  });

  it('is for admins, and another organization looks missing', async () => {
    const accountant = await srv.login('accountant@baa.test', TEST_PASSWORD);
    const input = { iban: 'FI4950000120000000', currency: 'EUR', name: 'Other' };
    const refused: any = await accountant(ADD, { i: { organizationId: A.orgId, ...input } });
    expect(refused.data.addBankAccount.userErrors[0].code).toBe('FORBIDDEN');
    const foreign: any = await admin(ADD, { i: { organizationId: B.orgId, ...input } });
    const missing: any = await admin(ADD, {
      i: { organizationId: gid('Organization', randomUUID()), ...input },
    });
    expect(foreign.data.addBankAccount.userErrors[0].code).toBe('NOT_FOUND');
    expect(foreign.data.addBankAccount.userErrors).toEqual(missing.data.addBankAccount.userErrors);
    expect((await accounts()).filter((a) => a.organization_id === B.org.id)).toEqual([]);
  });
});
