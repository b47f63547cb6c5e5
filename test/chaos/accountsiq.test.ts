/**
 * Exactly once into accountsIQ under chaos: thousands of invoices (batch and item), some
 * defective, some exported twice, some reversed and paid afterwards, sent by several workers
 * (each its own adapter and session) against the local accountsIQ service while its transport
 * drops answers after committing, answers after the client's timeout, answers 503 and lets
 * sessions expire; workers crash mid-call and their transfers are taken over after a stale
 * threshold. The workers follow the transfer engine's protocol: an unknown outcome is retried
 * later (the adapter looks the document up before any resend), a transient error is retried,
 * a refusal is final. When quiet: 0 duplicates in accountsIQ, 0 stuck transfers, every
 * document posted once in the period accountsIQ's rule gives it or refused with its reason.
 *
 *   AIQ_CHAOS_SEED=n       replays a run's plan and fault draws (printed; default: the clock)
 *   AIQ_CHAOS_INVOICES=n   documents (default 2000)
 */
import { Decimal } from '../../server/src/common/money.js';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AccountingOutcomeUnknown,
  AccountingRejection,
  AccountingTransientError,
  ClosedPeriodPolicy,
  type InvoicePostingOutcome,
  type InvoicePostingRequest,
} from '../../server/src/accounting/accounting-system.js';
import {
  createAccountsIqAccounting,
  externalReferenceFor,
  startLocalAccountsIq,
  type AccountsIqAccounting,
  type LocalAccountsIq,
  type LocalFaultKind,
} from '../../server/src/accounting/accountsiq/index.js';
import { Rng } from '../../server/src/seeders/demo-random.js';
import { seedFrom } from '../helpers/random.js';
import { CHAOS_COMPANY, planDocuments, type PlannedDocument } from './accountsiq.plan.js';

const SEED = seedFrom('AIQ_CHAOS_SEED');
const INVOICES = Number(process.env.AIQ_CHAOS_INVOICES || 2000);
const WORKERS = 4;
const MAX_ATTEMPTS = 60;
/**
 * Longer than the adapter's longest chain of calls for one document (five calls, each up to the
 * timeout, plus late answers), so a takeover never meets the dead worker's calls still under
 * way — as the engine's heartbeat and 30 s stale threshold ensure against 15 s calls.
 */
const STALE_AFTER_MS = 4000;
const TIMEOUT_MS = 300;
const log = (msg: string) => console.log(`[aiq chaos seed=${SEED}] ${msg}`);

type Status = 'pending' | 'running' | 'done' | 'failed';
interface Transfer {
  id: number;
  kind: 'post' | 'reverse' | 'pay';
  doc: PlannedDocument;
  key: string;
  status: Status;
  attempts: number;
  notBefore: number;
  claimedAt: number;
  claim: number;
  entryId?: string;
  codes?: string[];
}

const WRITE_OPS = [
  'CreateBatchPurchasesInvoiceGetBackTransactionID',
  'SaveInvoiceGetBackInvoiceID',
  'PostInvoiceGetBackTransactionID',
  'SavePurchasePaymentGetBackTransactionID',
];
const READ_OPS = [
  'GetTransactionsByExternalReference',
  'GetTransaction',
  'GetNewBatchPurchasesInvoice',
  'GetNewPurchasesInvoice',
  'GetPeriodList',
  'GetGLAccountList',
];
const FAULTS: readonly (readonly [LocalFaultKind, number])[] = [
  ['drop-after-commit', 4],
  ['late-answer', 2],
  ['unavailable-before-commit', 3],
  ['session-expired', 2],
];

let aiq: LocalAccountsIq | undefined;
afterAll(async () => aiq?.close());

describe('accountsIQ chaos: exactly once without idempotency keys', () => {
  it(`${INVOICES} invoices, duplicate exports, every transport fault, crashing workers`, async () => {
    log(`start: ${INVOICES} invoices, ${WORKERS} workers (replay with AIQ_CHAOS_SEED=${SEED})`);
    const rng = new Rng(SEED);
    const faultRng = new Rng(SEED ^ 0x5eed);
    const docs = planDocuments(rng, INVOICES);
    aiq = await startLocalAccountsIq({ lateAnswerMs: TIMEOUT_MS * 3 });
    aiq.addCompany(structuredClone(CHAOS_COMPANY));
    const service = aiq;
    const config = {
      endpoint: service.url,
      entity: CHAOS_COMPANY.entity,
      clientId: CHAOS_COMPANY.clientId,
      clientSecret: CHAOS_COMPANY.clientSecret,
      timeoutMs: TIMEOUT_MS,
    };
    const org = '00000000-0000-4000-8000-00000000c4a0';

    const transfers: Transfer[] = [];
    const add = (kind: Transfer['kind'], doc: PlannedDocument, key: string) =>
      transfers.push({
        id: transfers.length,
        kind,
        doc,
        key,
        status: 'pending',
        attempts: 0,
        notBefore: 0,
        claimedAt: 0,
        claim: 0,
      });
    for (const doc of docs) {
      add('post', doc, doc.request.idempotencyKey);
      if (doc.duplicate) add('post', doc, doc.request.idempotencyKey);
    }

    let chaos = true;
    let crashes = 0;
    let claims = 0;
    const counts = { transient: 0, unknown: 0, refused: 0 };
    const reasons = new Map<string, number>();

    const finish = (
      t: Transfer,
      claim: number,
      outcome: InvoicePostingOutcome | { error: unknown },
    ) => {
      if (t.claim !== claim || t.status !== 'running') return; // taken over after a crash
      if ('entry' in outcome) {
        t.status = 'done';
        t.entryId = outcome.entry.id;
        if (
          t.kind === 'post' &&
          transfers.filter((x) => x.key === t.key && x.status === 'done').length === 1
        ) {
          if (t.doc.reverse) add('reverse', t.doc, `${t.key}:reversal`);
          if (t.doc.pay) add('pay', t.doc, `${t.key}:payment`);
        }
        return;
      }
      if ('problems' in outcome) {
        counts.refused++;
        t.status = 'failed';
        t.codes = outcome.problems.map((p) => p.code);
        return;
      }
      const err = outcome.error;
      if (err instanceof AccountingRejection) {
        counts.refused++;
        t.status = 'failed';
        t.codes = err.problems.map((p) => p.code);
        return;
      }
      if (err instanceof AccountingTransientError) counts.transient++;
      else if (err instanceof AccountingOutcomeUnknown) counts.unknown++;
      else throw err;
      const reason = err.message.replace(/\d+/g, 'n').slice(0, 90);
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      t.status = t.attempts >= MAX_ATTEMPTS ? 'failed' : 'pending';
      if (t.status === 'failed') t.codes = ['GAVE_UP'];
      t.notBefore = Date.now() + 5 + Math.floor(Math.random() * 20);
    };

    const claimBatch = (now: number): Transfer[] => {
      const ready = transfers.filter((t) => t.status === 'pending' && t.notBefore <= now);
      if (!ready.length) return [];
      const first = ready[0];
      const batch =
        first.kind === 'post' ? ready.filter((t) => t.kind === 'post').slice(0, 5) : [first];
      // A key is never worked by two workers at once: the engine claims a transfer exclusively,
      // and a duplicate export is the same transfer. (Without idempotency keys two concurrent
      // senders of one document cannot be told apart by accountsIQ; the claim is what prevents it.)
      const busy = new Set(transfers.filter((t) => t.status === 'running').map((t) => t.key));
      return batch.filter((t) => !busy.has(t.key) && busy.add(t.key));
    };

    const runOne = async (
      adapter: AccountsIqAccounting,
      t: Transfer,
    ): Promise<InvoicePostingOutcome> => {
      try {
        if (t.kind === 'post') return { entry: await adapter.postInvoice(org, t.doc.request) };
        const posted = transfers.find(
          (x) => x.key === t.doc.request.idempotencyKey && x.status === 'done',
        )!;
        if (t.kind === 'reverse')
          return {
            entry: await adapter.reverse(org, {
              idempotencyKey: t.key,
              entryId: posted.entryId!,
              documentDate: '2026-05-15',
              closedPeriodPolicy: ClosedPeriodPolicy.SHIFT_TO_NEXT_OPEN,
              description: null,
            }),
          };
        return {
          entry: await adapter.postPayment(org, {
            idempotencyKey: t.key,
            supplierAccountName: t.doc.request.supplierAccountName,
            reference: t.doc.request.reference,
            documentDate: '2026-05-20',
            closedPeriodPolicy: ClosedPeriodPolicy.SHIFT_TO_NEXT_OPEN,
            currency: 'EUR',
            amount: t.doc.request.grossAmount,
            description: null,
          }),
        };
      } catch (err) {
        return { error: err as AccountingTransientError };
      }
    };

    const worker = async (n: number) => {
      let adapter = createAccountsIqAccounting(config);
      while (transfers.some((t) => t.status === 'pending' || t.status === 'running')) {
        const now = Date.now();
        for (const t of transfers)
          if (t.status === 'running' && now - t.claimedAt > STALE_AFTER_MS) t.status = 'pending';
        const batch = claimBatch(now);
        if (!batch.length) {
          await new Promise((r) => setTimeout(r, 10));
          continue;
        }
        const claim = ++claims;
        for (const t of batch)
          Object.assign(t, { status: 'running', claim, claimedAt: now, attempts: t.attempts + 1 });
        if (chaos && faultRng.chance(0.25))
          service.injectFault(faultRng.weighted(FAULTS), {
            operation: faultRng.pick(faultRng.chance(0.6) ? WRITE_OPS : READ_OPS),
          });
        if (chaos && faultRng.chance(0.01)) service.expireTokens(CHAOS_COMPANY.entity);
        const crash = chaos && faultRng.chance(0.02);
        const work =
          batch[0].kind === 'post'
            ? adapter.postInvoices(
                org,
                batch.map((t) => t.doc.request),
              )
            : runOne(adapter, batch[0]).then((o) => [o]);
        if (crash) {
          // The worker dies with the call under way; its claims go stale and are taken over.
          crashes++;
          void work.catch(() => undefined);
          adapter = createAccountsIqAccounting(config);
          continue;
        }
        const outcomes = await work;
        batch.forEach((t, i) => finish(t, claim, outcomes[i]));
      }
      void n;
      await adapter.close();
    };

    const started = Date.now();
    const stopChaos = setTimeout(() => (chaos = false), 60_000);
    await Promise.all(Array.from({ length: WORKERS }, (_, n) => worker(n)));
    clearTimeout(stopChaos);
    chaos = false;
    service.clearFaults();
    log(
      `quiet after ${Date.now() - started} ms: ${claims} claims, ${crashes} crashes, ${counts.transient} transient, ${counts.unknown} unknown outcomes`,
    );

    for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 8))
      log(`  ${n} × ${reason}`);

    // ---- checks
    const txs = service.transactions(CHAOS_COMPANY.entity);
    const byRef = new Map<string, (typeof txs)[number][]>();
    for (const tx of txs)
      byRef.set(tx.ExternalReference, [...(byRef.get(tx.ExternalReference) ?? []), tx]);
    const duplicates = [...byRef.values()].reduce((n, list) => n + Math.max(0, list.length - 1), 0);
    const stuck = transfers.filter((t) => t.status !== 'done' && t.status !== 'failed');
    const gaveUp = transfers.filter((t) => t.codes?.includes('GAVE_UP'));
    const wrong: string[] = [];
    for (const t of transfers) {
      const found = byRef.get(externalReferenceFor(t.key)) ?? [];
      if (t.kind === 'post' && t.doc.defect) {
        if (t.status !== 'failed' || !t.codes?.includes(t.doc.expectedCode!) || found.length)
          wrong.push(
            `${t.doc.request.reference} (${t.doc.defect}): ${t.status} ${t.codes?.join(',')} with ${found.length} documents`,
          );
        continue;
      }
      const tx = found[0];
      if (t.status !== 'done' || found.length !== 1 || t.entryId !== String(tx.TransactionID)) {
        wrong.push(
          `${t.kind} ${t.doc.request.reference}: ${t.status} ${t.codes?.join(',') ?? ''}, ${found.length} documents`,
        );
        continue;
      }
      if (
        t.kind === 'post' &&
        (tx.PeriodName !== t.doc.expectedPeriod || tx.Amount !== bookedAmount(t.doc.request))
      )
        wrong.push(
          `${t.doc.request.reference}: booked ${tx.PeriodName} ${tx.Amount}, expected ${t.doc.expectedPeriod} ${bookedAmount(t.doc.request)}`,
        );
    }
    const expectedDocuments =
      docs.filter((d) => !d.defect).length + transfers.filter((t) => t.kind !== 'post').length;
    log(
      `${txs.length} documents in accountsIQ (expected ${expectedDocuments}), ${duplicates} duplicates, ${stuck.length} stuck, ${gaveUp.length} gave up, ${counts.refused} refusals, ${wrong.length} wrong, ${service.wsdlViolations.length} WSDL violations`,
    );
    expect(duplicates).toBe(0);
    expect(stuck).toEqual([]);
    expect(gaveUp).toEqual([]);
    expect(wrong.slice(0, 20)).toEqual([]);
    expect(txs.length).toBe(expectedDocuments);
    expect(service.wsdlViolations).toEqual([]);
    expect(crashes + counts.unknown).toBeGreaterThan(0);
  }, 600_000);
});

/** accountsIQ keeps a document's amount positive: a purchase credit note's type carries its sign. */
function bookedAmount(r: InvoicePostingRequest): string {
  return new Decimal(r.grossAmount).abs().toFixed(2);
}
