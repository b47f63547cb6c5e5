import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountingTransientError } from '../accounting-system.js';
import { invoiceRequest, ORG, startAiqFixture, type AiqFixture } from './accountsiq.helpers.js';
import { createAccountsIqAccounting } from './index.js';

let fx: AiqFixture;
beforeAll(async () => {
  fx = await startAiqFixture({ tokenLifetimeSeconds: 1200 });
});
afterAll(async () => {
  expect(fx.aiq.wsdlViolations).toEqual([]);
  await fx.close();
});

describe('accountsIQ session (TokenGet, renewal, connection test)', () => {
  it('logs in with TokenGet and reports the company and its open periods', async () => {
    await expect(fx.adapter().testConnection()).resolves.toEqual({
      ok: true,
      companyName: 'Lightyear Ltd',
      openPeriods: 2,
    });
  });

  it('reports refused credentials as AUTH_FAILED without the secret', async () => {
    const result = await fx.adapter({ clientSecret: 'wrong-secret-77' }).testConnection();
    expect(result).toMatchObject({ ok: false, code: 'AUTH_FAILED' });
    expect(JSON.stringify(result)).not.toContain('wrong-secret-77');
    const unknownEntity = await fx.adapter({ entity: 'NOPE' }).testConnection();
    expect(unknownEntity).toMatchObject({ ok: false, code: 'AUTH_FAILED' });
  });

  it('reports a closed port as UNREACHABLE and a malformed config as VALIDATION', async () => {
    const closed = createAccountsIqAccounting({
      ...fx.configOf(),
      endpoint: 'http://127.0.0.1:1/system/dashboard/integration/integration_2_0.asmx',
    });
    await expect(closed.testConnection()).resolves.toMatchObject({
      ok: false,
      code: 'UNREACHABLE',
    });
    const bad = createAccountsIqAccounting({ ...fx.configOf(), endpoint: 'not a url' });
    await expect(bad.testConnection()).resolves.toMatchObject({ ok: false, code: 'VALIDATION' });
    await expect(bad.getMasterData(ORG)).rejects.toBeInstanceOf(AccountingTransientError);
    const noSecret = createAccountsIqAccounting({ ...fx.configOf(), clientSecret: '' });
    await expect(noSecret.testConnection()).resolves.toMatchObject({ code: 'VALIDATION' });
  });

  it('renews an expired token (HasExpired) and retries the call once', async () => {
    const adapter = fx.adapter();
    await adapter.listPeriods(ORG);
    fx.aiq.expireTokens(fx.seed.entity);
    const r = invoiceRequest();
    const entry = await adapter.postInvoice(ORG, r);
    expect(entry.reference).toBe(r.reference);
    expect(
      fx.aiq.transactions(fx.seed.entity).filter((t) => t.Reference === r.reference),
    ).toHaveLength(1);
  });

  it('a session expiring in the middle of a write is renewed and the document written once', async () => {
    const adapter = fx.adapter();
    await adapter.listPeriods(ORG);
    fx.aiq.injectFault('session-expired', {
      operation: 'CreateBatchPurchasesInvoiceGetBackTransactionID',
    });
    const r = invoiceRequest();
    await adapter.postInvoice(ORG, r);
    expect(
      fx.aiq.transactions(fx.seed.entity).filter((t) => t.Reference === r.reference),
    ).toHaveLength(1);
  });

  it('a session that keeps expiring is a transient error, nothing written', async () => {
    const adapter = fx.adapter();
    await adapter.listPeriods(ORG);
    fx.aiq.injectFault('session-expired', {
      operation: 'CreateBatchPurchasesInvoiceGetBackTransactionID',
      times: 2,
    });
    const r = invoiceRequest();
    await expect(adapter.postInvoice(ORG, r)).rejects.toBeInstanceOf(AccountingTransientError);
    expect(
      fx.aiq.transactions(fx.seed.entity).filter((t) => t.Reference === r.reference),
    ).toHaveLength(0);
  });

  it('logs in only once for concurrent first calls', async () => {
    const adapter = fx.adapter();
    const before = fx.aiq.tokensIssued(fx.seed.entity);
    await Promise.all([
      adapter.listPeriods(ORG),
      adapter.getMasterData(ORG),
      adapter.getSettings(ORG),
    ]);
    expect(fx.aiq.tokensIssued(fx.seed.entity) - before).toBe(1);
  });
});
