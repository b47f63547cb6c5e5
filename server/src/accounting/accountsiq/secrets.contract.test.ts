/** The client secret never leaves the adapter: not in thrown errors, results or console output. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ClosedPeriodPolicy } from '../accounting-system.js';
import { invoiceRequest, ORG, startAiqFixture, type AiqFixture } from './accountsiq.helpers.js';
import { createAccountsIqAccounting } from './index.js';

let fx: AiqFixture;
const SECRET = 'cs-very-secret-9f2c1e';
beforeAll(async () => {
  fx = await startAiqFixture({ clientSecret: SECRET }, { lateAnswerMs: 500 });
});
afterAll(() => fx.close());

/** Everything an error carries that could reach a log: message, stack, own and nested properties. */
function everything(value: unknown): string {
  const seen = new Set<unknown>();
  return JSON.stringify(value, function (_key, v: unknown) {
    if (v && typeof v === 'object') {
      if (seen.has(v)) return undefined;
      seen.add(v);
      if (v instanceof Error) {
        const out: Record<string, unknown> = { message: v.message, stack: v.stack, cause: v.cause };
        for (const k of Object.getOwnPropertyNames(v))
          out[k] = (v as unknown as Record<string, unknown>)[k];
        return out;
      }
    }
    return v;
  });
}

describe('accountsIQ credentials', () => {
  it('the secret appears in no error, result or console line, on any failure path', async () => {
    const printed: string[] = [];
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi
        .spyOn(console, m)
        .mockImplementation((...args: unknown[]) => void printed.push(everything(args))),
    );
    const outcomes: unknown[] = [];
    const capture = (p: Promise<unknown>) =>
      p.then(
        (v) => outcomes.push(v),
        (e: unknown) => outcomes.push(e),
      );
    try {
      const wrongEntity = createAccountsIqAccounting({ ...fx.configOf(), entity: 'NOPE' });
      await capture(wrongEntity.testConnection());
      await capture(wrongEntity.postInvoice(ORG, invoiceRequest()));
      const unreachable = createAccountsIqAccounting({
        ...fx.configOf(),
        endpoint: 'http://127.0.0.1:1/x.asmx',
      });
      await capture(unreachable.testConnection());
      await capture(unreachable.postInvoice(ORG, invoiceRequest()));
      const adapter = fx.adapter({ timeoutMs: 200 });
      fx.aiq.injectFault('unavailable-before-commit', { operation: 'TokenGet' });
      await capture(adapter.listPeriods(ORG));
      fx.aiq.injectFault('drop-after-commit', { operation: 'TokenGet' });
      await capture(adapter.listPeriods(ORG));
      fx.aiq.injectFault('late-answer', { operation: 'TokenGet' });
      await capture(adapter.testConnection());
      fx.aiq.injectFault('drop-after-commit', {
        operation: 'CreateBatchPurchasesInvoiceGetBackTransactionID',
      });
      fx.aiq.injectFault('drop-after-commit', {
        operation: 'GetTransactionsByExternalReference',
        skip: 1,
      });
      await capture(adapter.postInvoice(ORG, invoiceRequest()));
      await capture(adapter.postInvoice(ORG, invoiceRequest({ supplierAccountName: 'NOBODY' })));
      await capture(
        adapter.reverse(ORG, {
          idempotencyKey: 'r-x',
          entryId: '424242',
          documentDate: '2026-03-02',
          closedPeriodPolicy: ClosedPeriodPolicy.BLOCK,
          description: null,
        }),
      );
    } finally {
      spies.forEach((s) => s.mockRestore());
    }
    expect(outcomes.length).toBe(10);
    expect(outcomes.filter((o) => o instanceof Error).length).toBeGreaterThanOrEqual(6);
    const text = everything(outcomes) + printed.join('\n');
    expect(text).not.toContain(SECRET);
    // The test would see the secret if an error carried the request: the login request has it.
    expect(everything({ clientSecret: SECRET })).toContain(SECRET);
  });
});
