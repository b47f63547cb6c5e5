import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { computed } from 'vue';
import { createMockSubscription } from 'mock-apollo-client';
import {
  RecentTransfersDocument,
  TransferBatchDocument,
  TransferBatchProgressLiveDocument,
  TransferStatusChangedLiveDocument,
} from '@/gql/graphql';
import { createTestClient } from '@/test/apollo';
import { batch, connection, ledgerEntry, ORG_ID, transferLive } from '@/test/fixtures';
import { withSetup } from '@/test/mount';
import { useTransferBatchLive } from './useTransferBatchLive';

describe('useTransferBatchLive', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup() {
    const client = createTestClient();
    const progress = createMockSubscription();
    const changes = createMockSubscription();
    client.setRequestHandler(TransferBatchProgressLiveDocument, () => progress);
    client.setRequestHandler(TransferStatusChangedLiveDocument, () => changes);
    const onFinished = vi.fn();
    const { result } = withSetup(
      () => useTransferBatchLive({ organizationId: computed(() => ORG_ID), onFinished }),
      client,
    );
    return { client, progress, changes, live: result, onFinished };
  }

  it('polls the batch and the transfers until every transfer is final when no event arrives', async () => {
    const { client, live, onFinished } = setup();
    const done = transferLive(1, {
      status: 'TRANSFERRED',
      updatedAt: '2026-11-21T10:00:02.000Z',
      ledgerEntry: ledgerEntry('INV-1'),
    });
    const batchHandler = vi.fn().mockResolvedValue({
      data: { node: batch({ status: 'DONE', queued: 0, transferred: 1 }) },
    });
    const transfersHandler = vi.fn().mockResolvedValue({
      data: { transfers: { __typename: 'TransferConnection', ...connection([done]) } },
    });
    client.setRequestHandler(TransferBatchDocument, batchHandler);
    client.setRequestHandler(RecentTransfersDocument, transfersHandler);

    live.track(batch(), [transferLive(1)]);
    expect(live.transfers.value.get('transfer-1')?.status).toBe('QUEUED');

    await vi.advanceTimersByTimeAsync(1600);
    await flushPromises();

    expect(batchHandler).toHaveBeenCalledWith({ id: 'batch-1' });
    expect(transfersHandler).toHaveBeenCalledWith(
      expect.objectContaining({ organizationId: ORG_ID, first: 11 }),
    );
    expect(live.transfers.value.get('transfer-1')?.status).toBe('TRANSFERRED');
    expect(live.transfers.value.get('transfer-1')?.ledgerEntry?.reference).toBe('INV-1');
    expect(live.batch.value?.transferred).toBe(1);
    expect(onFinished).toHaveBeenCalledTimes(1);
    expect(live.tracking.value).toBe(false);
  });

  it('follows the subscriptions and never lets a final status go back', async () => {
    const { client, progress, changes, live, onFinished } = setup();
    client.setRequestHandler(
      TransferBatchDocument,
      vi.fn().mockResolvedValue({ data: { node: batch() } }),
    );
    client.setRequestHandler(
      RecentTransfersDocument,
      vi.fn().mockResolvedValue({
        data: { transfers: { __typename: 'TransferConnection', ...connection([]) } },
      }),
    );

    live.track(batch({ total: 1 }), [transferLive(1)]);
    progress.next({ data: { transferBatchProgress: batch({ queued: 0, sending: 1 }) } });
    await flushPromises();
    expect(live.source.value).toBe('subscription');
    expect(live.batch.value?.sending).toBe(1);

    const failed = transferLive(1, {
      status: 'FAILED',
      updatedAt: '2026-11-21T10:00:03.000Z',
      errors: [
        {
          __typename: 'TransferError',
          code: 'VAT_CODE_INVALID',
          message: 'FI14 is not valid',
          field: ['lines', '0', 'vatCode'],
        },
      ],
    } as never);
    changes.next({
      data: {
        transferStatusChanged: {
          __typename: 'TransferStatusEvent',
          status: 'FAILED',
          final: true,
          batchId: 'batch-1',
          invoiceId: 'invoice-1',
          occurredAt: '2026-11-21T10:00:03.000Z',
          resync: false,
          transfer: failed,
        },
      },
    });
    await flushPromises();

    expect(live.transfers.value.get('transfer-1')?.status).toBe('FAILED');
    expect(onFinished).toHaveBeenCalledTimes(1);
  });
});
