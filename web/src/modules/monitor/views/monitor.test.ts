import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { createMockSubscription } from 'mock-apollo-client';
import {
  MonitorTransferStatusDocument,
  MonitorTransfersDocument,
  type TransferStatus,
} from '@/gql/graphql';
import { relay, transferError } from '@/test/admin-fixtures';
import { createTestClient } from '@/test/apollo';
import { ledgerEntry, ORG_ID, transferLive } from '@/test/fixtures';
import { mountView } from '@/test/mount';
import TransferMonitorView from './TransferMonitorView.vue';

function transfer(
  n: number,
  status: TransferStatus,
  updatedAt: string,
  overrides: Record<string, unknown> = {},
) {
  return {
    ...transferLive(n, { status, updatedAt }),
    createdAt: '2026-11-21T10:00:00.000Z',
    finishedAt: null,
    payment: null,
    ...overrides,
  };
}

function setup(initial: ReturnType<typeof transfer>[]) {
  const client = createTestClient();
  let transfers = initial;
  const list = vi.fn(async () => ({ data: { transfers: relay('Transfer', transfers) } }));
  client.setRequestHandler(MonitorTransfersDocument, list);
  const stream = createMockSubscription();
  client.setRequestHandler(MonitorTransferStatusDocument, () => stream);
  return { client, list, stream, setTransfers: (t: typeof initial) => (transfers = t) };
}

const events = (wrapper: { findAll: (s: string) => { text(): string }[] }) =>
  wrapper.findAll('[data-testid="monitor-events"] [data-testid="monitor-event"]');

describe('transfer monitor', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  });
  afterEach(() => vi.useRealTimers());

  it('streams status changes from the subscription, with reasons inline, filtered by status and trigger', async () => {
    const { client, stream, list } = setup([
      transfer(1, 'TRANSFERRED', '2026-11-21T09:00:00.000Z'),
    ]);
    const { wrapper } = await mountView(TransferMonitorView, {
      client,
      role: 'ADMIN',
      path: '/monitor',
    });
    await flushPromises();
    expect(list).toHaveBeenCalledWith({ organizationId: ORG_ID, status: null, first: 30 });
    expect(wrapper.findAll('[data-testid="monitor-current"] li')).toHaveLength(1);
    expect(wrapper.text()).toContain('Waiting for transfers…');

    stream.next({
      data: {
        transferStatusChanged: {
          __typename: 'TransferStatusEvent',
          status: 'FAILED',
          final: true,
          occurredAt: '2026-11-21T10:00:05.000Z',
          resync: false,
          errors: [transferError('VAT_CODE_INVALID', 'VAT code FI14 is not valid on 2026-11-15')],
          transfer: transfer(2, 'FAILED', '2026-11-21T10:00:05.000Z', {
            trigger: 'AUTOMATIC',
            errors: [transferError('VAT_CODE_INVALID', 'VAT code FI14 is not valid on 2026-11-15')],
          }),
        },
      },
    });
    stream.next({
      data: {
        transferStatusChanged: {
          __typename: 'TransferStatusEvent',
          status: 'TRANSFERRED',
          final: true,
          occurredAt: '2026-11-21T10:00:06.000Z',
          resync: false,
          errors: [],
          transfer: transfer(3, 'TRANSFERRED', '2026-11-21T10:00:06.000Z', {
            ledgerEntry: ledgerEntry('INV-3'),
          }),
        },
      },
    });
    await flushPromises();

    expect(wrapper.find('[data-testid="monitor-connection"]').text()).toBe('Live');
    let rows = events(wrapper);
    expect(rows).toHaveLength(2);
    expect(rows[0].text()).toContain('INV-3');
    expect(rows[0].text()).toContain('INV-3· 2026-11');
    expect(rows[1].text()).toContain('VAT code FI14 is not valid on 2026-11-15');
    expect(rows[1].text()).toContain('Automatic');

    const statusFilter = wrapper.find('[data-testid="monitor-status-filter"]');
    await statusFilter
      .findAll('button')
      .find((b) => b.text() === 'Failed')!
      .trigger('click');
    await flushPromises();
    rows = events(wrapper);
    expect(rows).toHaveLength(1);
    expect(rows[0].text()).toContain('INV-2');
    expect(list).toHaveBeenLastCalledWith({
      organizationId: ORG_ID,
      status: ['FAILED'],
      first: 30,
    });

    const triggerFilter = wrapper.find('[data-testid="monitor-trigger-filter"]');
    await triggerFilter
      .findAll('button')
      .find((b) => b.text() === 'Manual')!
      .trigger('click');
    await flushPromises();
    expect(events(wrapper)).toHaveLength(0);
    expect(wrapper.text()).toContain('No events match the filters yet');
    wrapper.unmount();
  });

  it('keeps the stream going by polling when the subscription fails, and never shows a change twice', async () => {
    const { client, stream, setTransfers } = setup([
      transfer(1, 'QUEUED', '2026-11-21T10:00:00.000Z'),
    ]);
    const { wrapper } = await mountView(TransferMonitorView, {
      client,
      role: 'ADMIN',
      path: '/monitor',
    });
    await flushPromises();
    stream.error(new Error('socket closed'));
    await flushPromises();
    expect(wrapper.find('[data-testid="monitor-connection"]').text()).toContain(
      'checking every 5 seconds',
    );

    setTransfers([transfer(1, 'SENDING', '2026-11-21T10:00:01.000Z')]);
    await vi.advanceTimersByTimeAsync(5000);
    await flushPromises();
    setTransfers([
      transfer(1, 'FAILED', '2026-11-21T10:00:02.000Z', {
        attempts: 3,
        errors: [
          transferError('TRANSIENT_EXHAUSTED', 'The ledger did not answer after 3 attempts'),
        ],
      }),
    ]);
    await vi.advanceTimersByTimeAsync(5000);
    await flushPromises();
    await vi.advanceTimersByTimeAsync(5000);
    await flushPromises();

    const rows = events(wrapper);
    expect(rows.map((r) => r.text().includes('Failed'))).toEqual([true, false]);
    expect(rows[0].text()).toContain('The ledger did not answer after 3 attempts');
    expect(rows[0].text()).toContain('3 attempts');
    expect(rows[1].text()).toContain('Sending');
    wrapper.unmount();
  });

  it('holds new events while paused and shows them on resume', async () => {
    const { client, stream } = setup([]);
    const { wrapper } = await mountView(TransferMonitorView, {
      client,
      role: 'ADMIN',
      path: '/monitor',
    });
    await flushPromises();
    await wrapper.find('[data-testid="monitor-pause"]').trigger('click');
    stream.next({
      data: {
        transferStatusChanged: {
          __typename: 'TransferStatusEvent',
          status: 'QUEUED',
          final: false,
          occurredAt: '2026-11-21T10:00:05.000Z',
          resync: false,
          errors: [],
          transfer: transfer(4, 'QUEUED', '2026-11-21T10:00:05.000Z'),
        },
      },
    });
    await flushPromises();
    expect(events(wrapper)).toHaveLength(0);
    const pause = wrapper.find('[data-testid="monitor-pause"]');
    expect(pause.text()).toBe('Resume (1 new)');
    await pause.trigger('click');
    expect(events(wrapper)).toHaveLength(1);
    wrapper.unmount();
  });
});
