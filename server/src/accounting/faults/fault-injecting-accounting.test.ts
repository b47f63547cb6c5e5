import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/db.js';
import {
  AccountingOutcomeUnknown,
  AccountingTransientError,
  type AccountingSystem,
} from '../accounting-system.js';
import { BuiltinLedger } from '../ledger/builtin-ledger.js';
import { createTestLedger, invoiceRequest, paymentRequest } from '../ledger/ledger.fixtures.js';
import {
  FaultInjectingAccounting,
  FaultSpecError,
  formatFaultSpec,
  mulberry32,
  parseFaultSpec,
  wrapWithFaults,
  type FaultKind,
} from './index.js';

describe('parseFaultSpec', () => {
  it('parses the documented spec', () => {
    expect(parseFaultSpec('seed=42,transient=0.1,lostAck=0.05,timeout=0.02,crash=0.01')).toEqual({
      seed: 42,
      transient: 0.1,
      lostAck: 0.05,
      timeout: 0.02,
      crash: 0.01,
      lookup: 0,
      timeoutDelayMs: 20,
    });
  });

  it('defaults missing keys, tolerates spaces and case, and round-trips', () => {
    const spec = parseFaultSpec(' LOSTACK = 1 , seed=7 ,');
    expect(spec).toMatchObject({ seed: 7, lostAck: 1, transient: 0, timeout: 0, crash: 0 });
    expect(parseFaultSpec(formatFaultSpec(spec))).toEqual(spec);
    expect(parseFaultSpec('')).toMatchObject({ seed: 1, transient: 0 });
    expect(parseFaultSpec('timeout=0.5,timeoutDelayMs=0').timeoutDelayMs).toBe(0);
  });

  it.each([
    [
      'seed=42,bogus=0.1',
      /unknown key "bogus".*allowed: seed, transient, lostAck, timeout, crash, lookup/,
    ],
    ['lookup=2', /lookup must be a probability from 0 to 1/],
    ['transient=1.5', /transient must be a probability from 0 to 1, got "1.5"/],
    ['crash=-0.1', /crash must be a probability from 0 to 1/],
    ['timeout=abc', /timeout must be a probability/],
    ['transient=NaN', /transient must be a probability/],
    ['seed=-1', /seed must be an integer/],
    ['seed=1.5', /seed must be an integer/],
    ['transient=0.1,transient=0.2', /"transient" is given twice/],
    ['transient', /is not key=value/],
    ['transient=0.6,lostAck=0.6', /add up to 1.2, more than 1/],
  ])('refuses %j', (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(FaultSpecError);
    expect(() => parseFaultSpec(spec)).toThrow(message);
  });
});

describe('mulberry32', () => {
  it('replays for a seed and differs between seeds', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
});

/** An accounting system that counts writes and answers with a fixed entry. */
function countingStub() {
  const calls: string[] = [];
  const entry = { id: 'e1' } as never;
  const stub = {
    name: 'stub',
    postInvoice: async () => (calls.push('postInvoice'), entry),
    postPayment: async () => (calls.push('postPayment'), entry),
    reverse: async () => (calls.push('reverse'), entry),
    getEntry: async () => (calls.push('getEntry'), entry),
    findByIdempotencyKey: async () => (calls.push('findByIdempotencyKey'), entry),
  } as unknown as AccountingSystem;
  return { stub, calls };
}

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return (err as Error).name;
  }
}

describe('FaultInjectingAccounting (stubbed)', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('replays the same faults for the same seed', async () => {
    const spec = 'seed=42,transient=0.2,lostAck=0.2,timeout=0.1,crash=0.1,timeoutDelayMs=0';
    const run = async () => {
      const { stub } = countingStub();
      const faults = new FaultInjectingAccounting(stub, spec, { onCrash: () => {} });
      const out: string[] = [];
      for (let i = 0; i < 60; i++) {
        out.push(await outcome(faults.postInvoice('org', invoiceRequest())));
      }
      return { out, injected: { ...faults.injected } };
    };
    const first = await run();
    expect(await run()).toEqual(first);
    // With these odds 60 calls see every kind of fault and some clean calls.
    expect(new Set(first.out)).toEqual(
      new Set(['ok', 'AccountingTransientError', 'AccountingOutcomeUnknown']),
    );
    for (const n of Object.values(first.injected)) expect(n).toBeGreaterThan(0);
    const other = new FaultInjectingAccounting(countingStub().stub, spec.replace('42', '43'));
    const draws = (f: FaultInjectingAccounting) => Array.from({ length: 60 }, () => f.nextFault());
    expect(draws(other)).not.toEqual(
      draws(new FaultInjectingAccounting(countingStub().stub, spec)),
    );
  });

  it('draws faults in proportion to their probabilities', () => {
    const f = new FaultInjectingAccounting(
      countingStub().stub,
      'seed=9,transient=0.1,lostAck=0.05,timeout=0.02,crash=0.01',
    );
    const counts: Record<string, number> = {};
    for (let i = 0; i < 100_000; i++) {
      const k = f.nextFault() ?? 'none';
      counts[k] = (counts[k] ?? 0) + 1;
    }
    expect(counts.transient / 100_000).toBeCloseTo(0.1, 2);
    expect(counts.lostAck / 100_000).toBeCloseTo(0.05, 2);
    expect(counts.timeout / 100_000).toBeCloseTo(0.02, 2);
    expect(counts.crash / 100_000).toBeCloseTo(0.01, 2);
  });

  it('disturbs writes only: reads pass through and draw nothing', async () => {
    const { stub, calls } = countingStub();
    const f = new FaultInjectingAccounting(stub, 'transient=1');
    await expect(f.getEntry('org', 'e1')).resolves.toEqual({ id: 'e1' });
    await expect(f.findByIdempotencyKey('org', 'k')).resolves.toEqual({ id: 'e1' });
    await expect(f.postPayment('org', paymentRequest())).rejects.toBeInstanceOf(
      AccountingTransientError,
    );
    await expect(
      f.reverse('org', {
        idempotencyKey: 'k',
        entryId: 'e1',
        documentDate: '2026-01-01',
        closedPeriodPolicy: invoiceRequest().closedPeriodPolicy,
        description: null,
      }),
    ).rejects.toBeInstanceOf(AccountingTransientError);
    expect(calls).toEqual(['getEntry', 'findByIdempotencyKey']);
    expect(f.injected).toEqual({ transient: 2, lostAck: 0, timeout: 0, crash: 0 });
  });

  it('lookup: look-ups fail transiently without reaching the system; writes draw as before', async () => {
    const { stub, calls } = countingStub();
    const f = new FaultInjectingAccounting(stub, 'seed=5,lookup=1,transient=0.5');
    await expect(f.findByIdempotencyKey('org', 'k')).rejects.toBeInstanceOf(
      AccountingTransientError,
    );
    await expect(f.findByReference('org', 'Acme', 'INV-1', 'INVOICE')).rejects.toBeInstanceOf(
      AccountingTransientError,
    );
    await expect(f.getEntry('org', 'e1')).resolves.toEqual({ id: 'e1' });
    expect(calls).toEqual(['getEntry']);
    expect(f.lookupFaults).toBe(2);
    // The write faults come from their own stream: look-ups in between do not shift them.
    const plain = new FaultInjectingAccounting(countingStub().stub, 'seed=5,transient=0.5');
    const draws = (x: FaultInjectingAccounting) => Array.from({ length: 40 }, () => x.nextFault());
    expect(draws(f)).toEqual(draws(plain));
    const half = new FaultInjectingAccounting(countingStub().stub, 'seed=5,lookup=0.5');
    let failed = 0;
    for (let i = 0; i < 2_000; i++)
      failed += await half.findByIdempotencyKey('org', 'k').then(
        () => 0,
        () => 1,
      );
    expect(failed / 2_000).toBeCloseTo(0.5, 1);
  });

  it('exits the process with 137 on a crash by default', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    try {
      const { stub, calls } = countingStub();
      const f = new FaultInjectingAccounting(stub, 'crash=1');
      await expect(f.postInvoice('org', invoiceRequest())).rejects.toBeInstanceOf(
        AccountingOutcomeUnknown,
      );
      expect(calls).toEqual(['postInvoice']);
      expect(exit).toHaveBeenCalledWith(137);
    } finally {
      exit.mockRestore();
    }
  });

  it('is refused in production', () => {
    vi.stubEnv('NODE_ENV', 'production');
    const { stub } = countingStub();
    expect(() => new FaultInjectingAccounting(stub, 'seed=1')).toThrow(/refused in production/);
    expect(() => wrapWithFaults(stub, 'transient=0.1')).toThrow(/refused in production/);
    // Without a spec there is nothing to refuse.
    expect(wrapWithFaults(stub, undefined)).toBe(stub);
  });

  it('wrapWithFaults returns the inner system for no spec and validates a given one', () => {
    const { stub } = countingStub();
    expect(wrapWithFaults(stub, '  ')).toBe(stub);
    expect(wrapWithFaults(stub, null)).toBe(stub);
    const wrapped = wrapWithFaults(stub, 'seed=3,lostAck=0.5');
    expect(wrapped).toBeInstanceOf(FaultInjectingAccounting);
    expect(wrapped.name).toBe('stub+faults');
    expect(() => wrapWithFaults(stub, 'lostack=2')).toThrow(FaultSpecError);
  });
});

describe('FaultInjectingAccounting over the built-in ledger', () => {
  let db: TestDatabase;
  let ledger: BuiltinLedger;
  let org: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    ledger = new BuiltinLedger(db.orm);
    org = await createTestLedger(db.orm);
  });
  afterAll(() => db.close());

  async function count(key: string): Promise<number> {
    const [{ n }] = await db.sql(
      `select count(*)::int as n from ledger.entry where organization_id = $1 and idempotency_key = $2`,
      [org, key],
    );
    return n;
  }

  it('transient: nothing is written; a retry posts', async () => {
    const faults = new FaultInjectingAccounting(ledger, 'transient=1');
    const req = invoiceRequest();
    await expect(faults.postInvoice(org, req)).rejects.toBeInstanceOf(AccountingTransientError);
    expect(await count(req.idempotencyKey)).toBe(0);
    expect(await faults.findByIdempotencyKey(org, req.idempotencyKey)).toBeNull();
    await ledger.postInvoice(org, req);
    expect(await count(req.idempotencyKey)).toBe(1);
  });

  it.each(['lostAck', 'timeout'] as FaultKind[])(
    '%s: the entry is committed but the caller gets AccountingOutcomeUnknown; lookup finds it',
    async (kind) => {
      const faults = new FaultInjectingAccounting(ledger, `${kind}=1,timeoutDelayMs=5`);
      const req = invoiceRequest();
      const started = Date.now();
      await expect(faults.postInvoice(org, req)).rejects.toBeInstanceOf(AccountingOutcomeUnknown);
      if (kind === 'timeout') expect(Date.now() - started).toBeGreaterThanOrEqual(4);
      expect(await count(req.idempotencyKey)).toBe(1);
      const found = await faults.findByIdempotencyKey(org, req.idempotencyKey);
      expect(found?.reference).toBe(req.reference);
      // Resending with the same key is harmless: still one entry.
      expect((await ledger.postInvoice(org, req)).id).toBe(found?.id);
      expect(await count(req.idempotencyKey)).toBe(1);
      expect(faults.injected[kind]).toBe(1);
    },
  );

  it('crash: onCrash runs right after the posting committed', async () => {
    const req = paymentRequest();
    let committedAtCrash = -1;
    const faults = new FaultInjectingAccounting(ledger, 'crash=1', {
      onCrash: async () => {
        committedAtCrash = await count(req.idempotencyKey);
      },
    });
    await expect(faults.postPayment(org, req)).rejects.toBeInstanceOf(AccountingOutcomeUnknown);
    expect(committedAtCrash).toBe(1);
  });

  it('batch: a fault drawn per request; transient ones are not sent, lost answers are unknown', async () => {
    // seed 5 with these rates: find a mix, then check each request got what its fault says.
    const spec = 'seed=5,transient=0.3,lostAck=0.2,timeout=0.2,timeoutDelayMs=0';
    const draws = new FaultInjectingAccounting(ledger, spec);
    const expected = Array.from({ length: 12 }, () => draws.nextFault());
    expect(new Set(expected)).toEqual(new Set([null, 'transient', 'lostAck', 'timeout']));
    const faults = new FaultInjectingAccounting(ledger, spec);
    const reqs = expected.map(() => invoiceRequest());
    const outcomes = await faults.postInvoices(org, reqs);
    for (const [i, fault] of expected.entries()) {
      const o = outcomes[i];
      if (fault === null)
        expect('entry' in o && o.entry.idempotencyKey).toBe(reqs[i].idempotencyKey);
      else if (fault === 'transient')
        expect('error' in o && o.error).toBeInstanceOf(AccountingTransientError);
      else expect('error' in o && o.error).toBeInstanceOf(AccountingOutcomeUnknown);
      expect(await count(reqs[i].idempotencyKey)).toBe(fault === 'transient' ? 0 : 1);
    }
    expect(faults.injected.transient).toBe(expected.filter((f) => f === 'transient').length);
    // Resending the whole batch is harmless: one entry per key.
    const again = await ledger.postInvoices(org, reqs);
    expect(again.every((o) => 'entry' in o)).toBe(true);
    for (const r of reqs) expect(await count(r.idempotencyKey)).toBe(1);
  });

  it('batch: a crash comes after the whole batch committed; every request is then in doubt', async () => {
    const reqs = [invoiceRequest(), invoiceRequest(), invoiceRequest()];
    let committedAtCrash: number[] = [];
    const faults = new FaultInjectingAccounting(ledger, 'crash=1', {
      onCrash: async () => {
        committedAtCrash = await Promise.all(reqs.map((r) => count(r.idempotencyKey)));
      },
    });
    await expect(faults.postInvoices(org, reqs)).rejects.toBeInstanceOf(AccountingOutcomeUnknown);
    expect(committedAtCrash).toEqual([1, 1, 1]);
  });

  it('batch: no faults drawn passes the call through whole', async () => {
    const faults = new FaultInjectingAccounting(ledger, 'seed=1');
    const reqs = [invoiceRequest(), invoiceRequest({ lines: [] })];
    const outcomes = await faults.postInvoices(org, reqs);
    expect('entry' in outcomes[0]).toBe(true);
    expect('problems' in outcomes[1] && outcomes[1].problems.map((p) => p.code)).toEqual([
      'UNBALANCED',
    ]);
  });

  it('replays a seeded chaos run against the ledger: faults are the same, entries exactly once', async () => {
    const spec = 'seed=1234,transient=0.2,lostAck=0.2,timeout=0.1,crash=0.1,timeoutDelayMs=0';
    const run = async () => {
      const faults = new FaultInjectingAccounting(ledger, spec, { onCrash: () => {} });
      const seen: string[] = [];
      const keys: string[] = [];
      for (let i = 0; i < 30; i++) {
        const req = invoiceRequest();
        keys.push(req.idempotencyKey);
        // A transfer worker: retry transient errors, reconcile unknown outcomes by lookup.
        for (let attempt = 0; attempt < 20; attempt++) {
          const result = await outcome(faults.postInvoice(org, req));
          seen.push(result);
          if (result === 'ok') break;
          if (result === 'AccountingOutcomeUnknown') {
            if (await faults.findByIdempotencyKey(org, req.idempotencyKey)) break;
          }
        }
      }
      for (const key of keys) expect(await count(key)).toBe(1);
      return seen;
    };
    const first = await run();
    expect(await run()).toEqual(first);
  });
});
