/**
 * Per-subscriber buffers between the replica's event hub and one GraphQL subscription.
 *
 * graphql-ws pulls the next event only after the previous one reached the socket, so a client
 * that reads slowly makes its buffer grow. The buffer is bounded by coalescing: a transfer has at
 * most one intermediate status waiting (a newer status replaces it in place, so the order per
 * transfer holds), and final statuses are never dropped. Past `limit`, the oldest waiting
 * intermediate status is evicted (that transfer will change again); when only finals are left,
 * the subscription stops taking events, delivers what it holds and then fails with
 * SUBSCRIBER_TOO_SLOW, so the client knows to query and subscribe again rather than miss a
 * final status silently.
 */
import { GraphQLError } from 'graphql';
import type { TransferStatus } from '../transfer.enums.js';

/** One status change of one transfer, as loaded once per replica and shared by its subscribers. */
export interface TransferChange {
  organizationId: string;
  transferId: string;
  batchId: string | null;
  status: TransferStatus;
  final: boolean;
  /** When the change was made (the transfer's updated_at). */
  occurredAt: Date;
  /** The transfer row as loaded: its columns (timestamps as PostgreSQL text) and `<timestamp>_ms` times. */
  row: Readonly<Record<string, unknown>>;
  /** Delivered by a resync after the listener connection was lost. */
  resync: boolean;
}

export const SUBSCRIBER_TOO_SLOW = 'SUBSCRIBER_TOO_SLOW';

export function subscriberTooSlowError(limit: number): GraphQLError {
  return new GraphQLError(
    `This subscription fell more than ${limit} final statuses behind and was stopped; query the transfers and subscribe again`,
    { extensions: { code: SUBSCRIBER_TOO_SLOW } },
  );
}

export interface QueueStats {
  /** Entries waiting to be sent now. */
  size: number;
  /** The most entries that were ever waiting at once. */
  highWater: number;
  pushed: number;
  delivered: number;
  /** Intermediate statuses replaced by a newer status of the same transfer before being sent. */
  coalesced: number;
  /** Intermediate statuses dropped because the buffer was full. */
  evicted: number;
  overflowed: boolean;
}

interface Slot {
  change: TransferChange | null;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** The events of one `transferStatusChanged` subscription. */
export class TransferEventQueue implements AsyncIterableIterator<TransferChange> {
  private slots: Slot[] = [];
  private head = 0;
  private count = 0;
  /** The waiting intermediate status of each transfer, to be replaced by a newer one. */
  private intermediate = new Map<string, Slot>();
  private waiter: ((result: IteratorResult<TransferChange>) => void) | null = null;
  private waiterReject: ((err: unknown) => void) | null = null;
  private ended = false;
  private failure: GraphQLError | null = null;
  private readonly counters = { highWater: 0, pushed: 0, delivered: 0, coalesced: 0, evicted: 0 };

  constructor(
    readonly limit: number,
    /** Called once when the queue stops taking events (returned, overflowed or closed). */
    private readonly onDetach: (queue: TransferEventQueue) => void = () => {},
  ) {
    if (limit < 1) throw new Error('limit must be at least 1');
  }

  get size(): number {
    return this.count;
  }

  get accepting(): boolean {
    return !this.ended && !this.failure;
  }

  stats(): QueueStats {
    return { size: this.count, ...this.counters, overflowed: !!this.failure };
  }

  push(change: TransferChange): void {
    if (!this.accepting) return;
    this.counters.pushed++;
    if (this.waiter) {
      // The consumer is waiting: nothing is behind, hand it over directly.
      this.counters.delivered++;
      const resolve = this.waiter;
      this.waiter = this.waiterReject = null;
      resolve({ done: false, value: change });
      return;
    }
    const waiting = this.intermediate.get(change.transferId);
    if (waiting) {
      waiting.change = change;
      this.counters.coalesced++;
      if (change.final) this.intermediate.delete(change.transferId);
      return;
    }
    if (this.count >= this.limit && !this.evictOldestIntermediate()) {
      this.failure = subscriberTooSlowError(this.limit);
      this.onDetach(this);
      return;
    }
    const slot: Slot = { change };
    this.slots.push(slot);
    this.count++;
    if (!change.final) this.intermediate.set(change.transferId, slot);
    if (this.count > this.counters.highWater) this.counters.highWater = this.count;
  }

  private evictOldestIntermediate(): boolean {
    for (let i = this.head; i < this.slots.length; i++) {
      const slot = this.slots[i];
      if (slot.change && !slot.change.final) {
        this.intermediate.delete(slot.change.transferId);
        slot.change = null;
        this.count--;
        this.counters.evicted++;
        return true;
      }
    }
    return false;
  }

  private shift(): TransferChange | null {
    while (this.head < this.slots.length) {
      const slot = this.slots[this.head++];
      if (!slot.change) continue;
      const change = slot.change;
      slot.change = null;
      this.count--;
      if (this.intermediate.get(change.transferId) === slot)
        this.intermediate.delete(change.transferId);
      if (this.head > 1024 && this.head * 2 > this.slots.length) {
        this.slots = this.slots.slice(this.head);
        this.head = 0;
      }
      return change;
    }
    return null;
  }

  next(): Promise<IteratorResult<TransferChange>> {
    const change = this.shift();
    if (change) {
      this.counters.delivered++;
      return Promise.resolve({ done: false, value: change });
    }
    if (this.failure && !this.ended) {
      const failure = this.failure;
      this.close();
      return Promise.reject(failure);
    }
    if (this.ended) return Promise.resolve(DONE);
    return new Promise((resolve, reject) => {
      this.waiter = resolve;
      this.waiterReject = reject;
    });
  }

  /** Ends the stream now (client completed, socket closed, server stopping). */
  return(): Promise<IteratorResult<TransferChange>> {
    this.close();
    return Promise.resolve(DONE);
  }

  throw(err?: unknown): Promise<IteratorResult<TransferChange>> {
    this.close();
    return Promise.reject(err);
  }

  close(): void {
    if (this.ended) return;
    const wasAccepting = !this.failure;
    this.ended = true;
    this.slots = [];
    this.head = 0;
    this.count = 0;
    this.intermediate.clear();
    if (wasAccepting) this.onDetach(this);
    const resolve = this.waiter;
    this.waiter = this.waiterReject = null;
    resolve?.(DONE);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<TransferChange> {
    return this;
  }
}

/**
 * "Something in this batch changed": progress is a state, not a log, so any number of changes
 * while the consumer is busy collapse into one. The first `next()` resolves at once (the
 * current state is sent on subscribe).
 */
export class BatchSignalQueue implements AsyncIterableIterator<true> {
  private dirty = true;
  private ended = false;
  private waiter: ((result: IteratorResult<true>) => void) | null = null;
  signals = 0;

  constructor(private readonly onDetach: (queue: BatchSignalQueue) => void = () => {}) {}

  signal(): void {
    if (this.ended) return;
    this.signals++;
    if (this.waiter) {
      const resolve = this.waiter;
      this.waiter = null;
      resolve({ done: false, value: true });
    } else {
      this.dirty = true;
    }
  }

  next(): Promise<IteratorResult<true>> {
    if (this.ended) return Promise.resolve(DONE);
    if (this.dirty) {
      this.dirty = false;
      return Promise.resolve({ done: false, value: true });
    }
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  return(): Promise<IteratorResult<true>> {
    this.close();
    return Promise.resolve(DONE);
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.onDetach(this);
    const resolve = this.waiter;
    this.waiter = null;
    resolve?.(DONE);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<true> {
    return this;
  }
}
