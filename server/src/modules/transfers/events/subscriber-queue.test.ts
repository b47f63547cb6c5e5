import { describe, expect, it } from 'vitest';
import { TransferStatus } from '../transfer.enums.js';
import {
  BatchSignalQueue,
  SUBSCRIBER_TOO_SLOW,
  TransferEventQueue,
  type TransferChange,
} from './subscriber-queue.js';

const FINAL = new Set<TransferStatus>([
  TransferStatus.TRANSFERRED,
  TransferStatus.FAILED,
  TransferStatus.CANCELLED,
]);
let clock = 0;

function change(transferId: string, status: TransferStatus): TransferChange {
  return {
    organizationId: 'org',
    transferId,
    batchId: null,
    status,
    final: FINAL.has(status),
    occurredAt: new Date(++clock),
    row: {},
    resync: false,
  };
}

async function drain(q: TransferEventQueue): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    if (q.size === 0) return out;
    const r = await q.next();
    if (r.done) return out;
    out.push(`${r.value.transferId}:${r.value.status}`);
  }
}

describe('TransferEventQueue', () => {
  it('hands an event straight to a waiting consumer, buffering nothing', async () => {
    const q = new TransferEventQueue(10);
    const pending = q.next();
    q.push(change('a', TransferStatus.SENDING));
    expect((await pending).value).toMatchObject({ transferId: 'a', status: 'SENDING' });
    expect(q.stats()).toMatchObject({ size: 0, highWater: 0, delivered: 1 });
  });

  it('coalesces waiting intermediate statuses of a transfer in place, keeping the order per transfer', async () => {
    const q = new TransferEventQueue(100);
    q.push(change('a', TransferStatus.QUEUED));
    q.push(change('b', TransferStatus.QUEUED));
    q.push(change('a', TransferStatus.SENDING));
    q.push(change('a', TransferStatus.RETRYING));
    q.push(change('b', TransferStatus.TRANSFERRED));
    q.push(change('c', TransferStatus.SENDING));
    expect(q.stats()).toMatchObject({ size: 3, coalesced: 3, pushed: 6 });
    expect(await drain(q)).toEqual(['a:RETRYING', 'b:TRANSFERRED', 'c:SENDING']);
  });

  it('never replaces or drops a final status; a transfer live again after a final gets a new entry', async () => {
    const q = new TransferEventQueue(100);
    q.push(change('a', TransferStatus.FAILED));
    q.push(change('a', TransferStatus.QUEUED)); // retried in place
    q.push(change('a', TransferStatus.SENDING));
    q.push(change('a', TransferStatus.TRANSFERRED));
    expect(await drain(q)).toEqual(['a:FAILED', 'a:TRANSFERRED']);
  });

  it('stays within its limit: evicts the oldest intermediate first, and fails only when finals alone fill it', async () => {
    const q = new TransferEventQueue(3);
    q.push(change('a', TransferStatus.SENDING));
    q.push(change('b', TransferStatus.TRANSFERRED));
    q.push(change('c', TransferStatus.SENDING));
    q.push(change('d', TransferStatus.FAILED)); // evicts a:SENDING
    expect(q.stats()).toMatchObject({ size: 3, evicted: 1, highWater: 3, overflowed: false });
    q.push(change('c', TransferStatus.TRANSFERRED)); // coalesced in place, no growth
    q.push(change('e', TransferStatus.TRANSFERRED)); // only finals left: overflow
    expect(q.stats()).toMatchObject({ size: 3, highWater: 3, overflowed: true });
    q.push(change('f', TransferStatus.TRANSFERRED)); // no longer taken
    expect(q.stats().size).toBe(3);
    // What it holds is delivered, then the client is told it fell behind.
    const got: string[] = [];
    for (let i = 0; i < 3; i++) got.push(`${(await q.next()).value!.transferId}`);
    expect(got).toEqual(['b', 'c', 'd']);
    const failure = await q.next().then(
      () => null,
      (err: { extensions?: { code?: string } }) => err,
    );
    expect(failure?.extensions?.code).toBe(SUBSCRIBER_TOO_SLOW);
    expect(await q.next()).toEqual({ done: true, value: undefined });
  });

  it('memory is bounded by distinct transfers, not by events, for a consumer that never reads', () => {
    const q = new TransferEventQueue(10_000);
    for (const status of [
      TransferStatus.QUEUED,
      TransferStatus.SENDING,
      TransferStatus.RETRYING,
      TransferStatus.SENDING,
    ]) {
      for (let i = 0; i < 500; i++) q.push(change(`t${i}`, status));
    }
    expect(q.stats()).toMatchObject({ size: 500, highWater: 500, pushed: 2000, coalesced: 1500 });
  });

  it('return() ends a pending next() at once and detaches from the hub exactly once', async () => {
    let detached = 0;
    const q = new TransferEventQueue(10, () => detached++);
    const pending = q.next();
    await q.return();
    expect(await pending).toEqual({ done: true, value: undefined });
    q.close();
    q.push(change('a', TransferStatus.QUEUED));
    expect(q.size).toBe(0);
    expect(detached).toBe(1);
  });
});

describe('BatchSignalQueue', () => {
  it('fires once at once, then once per burst of changes', async () => {
    const q = new BatchSignalQueue();
    expect(await q.next()).toEqual({ done: false, value: true });
    q.signal();
    q.signal();
    q.signal();
    expect(await q.next()).toEqual({ done: false, value: true });
    let resolved = false;
    const pending = q.next().then((r) => ((resolved = true), r));
    await Promise.resolve();
    expect(resolved).toBe(false);
    q.signal();
    expect(await pending).toEqual({ done: false, value: true });
    await q.return();
    expect(await q.next()).toEqual({ done: true, value: undefined });
  });
});
