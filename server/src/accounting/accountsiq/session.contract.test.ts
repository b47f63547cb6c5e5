import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companySeed, invoiceRequest, ORG } from './accountsiq.helpers.js';
import { createAccountsIqAccounting, startLocalAccountsIq, type LocalAccountsIq } from './index.js';

let aiq: LocalAccountsIq;
const seed = companySeed();
const config = () => ({
  endpoint: aiq.url,
  entity: seed.entity,
  clientId: seed.clientId,
  clientSecret: seed.clientSecret,
  timeoutMs: 2000,
});

beforeAll(async () => {
  aiq = await startLocalAccountsIq();
  aiq.addCompany(seed);
});
afterAll(async () => {
  expect(aiq.wsdlViolations).toEqual([]);
  await aiq.close();
});

describe('accountsIQ session', () => {
  it('logs in with TokenGet and reports the company and its open periods', async () => {
    const adapter = createAccountsIqAccounting(config());
    await expect(adapter.testConnection()).resolves.toEqual({
      ok: true,
      companyName: 'Lightyear Ltd',
      openPeriods: 2,
    });
  });

  it('posts a batch invoice', async () => {
    const adapter = createAccountsIqAccounting(config());
    const r = invoiceRequest();
    const entry = await adapter.postInvoice(ORG, r);
    expect(entry).toMatchObject({
      journal: 'BATCH_INVOICES',
      reference: r.reference,
      total: '123.00',
    });
  });
});
