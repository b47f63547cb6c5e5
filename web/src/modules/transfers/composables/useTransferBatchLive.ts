import { computed, onScopeDispose, ref, shallowRef, triggerRef, type Ref } from 'vue';
import { useApolloClient } from '@vue/apollo-composable';
import {
  RecentTransfersDocument,
  TransferBatchDocument,
  type TransferBatchProgressFragment,
  type TransferLiveFragment,
  TransferBatchProgressLiveDocument,
  TransferStatusChangedLiveDocument,
} from '@/gql/graphql';
import { isFinalTransferStatus } from '../labels';

export interface BatchLiveOptions {
  organizationId: Ref<string>;
  /** Poll interval while no subscription event has arrived (or the socket failed). */
  fastPollMs?: number;
  /** Safety-net poll interval while subscriptions deliver. */
  slowPollMs?: number;
  /** Called once when every tracked transfer is final. */
  onFinished?: () => void;
}

type Unsubscribe = { unsubscribe(): void };

/** Later wins, but a final status never goes back to a live one. */
function newer(current: TransferLiveFragment | undefined, next: TransferLiveFragment): boolean {
  if (!current) return true;
  if (isFinalTransferStatus(current.status) && !isFinalTransferStatus(next.status)) return false;
  return next.updatedAt >= current.updatedAt;
}

/**
 * Live status of one export batch and its transfers. Listens to the `transferBatchProgress`
 * and `transferStatusChanged` subscriptions and polls the `node(batch)` and `transfers`
 * queries alongside — fast until the socket delivers, slowly after — so the screen never
 * waits on a socket that is not there.
 */
export function useTransferBatchLive(options: BatchLiveOptions) {
  const { resolveClient } = useApolloClient();
  const fastPollMs = options.fastPollMs ?? 1500;
  const slowPollMs = options.slowPollMs ?? 10_000;

  const batch = ref<TransferBatchProgressFragment | null>(null);
  const transfers = shallowRef(new Map<string, TransferLiveFragment>());
  const tracking = ref(false);
  const source = ref<'subscription' | 'polling'>('polling');
  const pollError = ref<unknown>(null);

  let subscriptions: Unsubscribe[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;

  const allFinal = computed(
    () =>
      transfers.value.size > 0 &&
      [...transfers.value.values()].every((t) => isFinalTransferStatus(t.status)),
  );
  const done = computed(() => allFinal.value || batch.value?.status === 'DONE');

  function apply(next: TransferLiveFragment) {
    if (!transfers.value.has(next.id)) return;
    if (!newer(transfers.value.get(next.id), next)) return;
    transfers.value.set(next.id, next);
    triggerRef(transfers);
  }

  function finishIfDone() {
    if (!tracking.value || !allFinal.value) return;
    stop();
    options.onFinished?.();
  }

  async function poll(current: number) {
    const client = resolveClient();
    const batchId = batch.value?.id;
    if (!batchId) return;
    try {
      const batchResult = await client.query({
        query: TransferBatchDocument,
        variables: { id: batchId },
        fetchPolicy: 'network-only',
      });
      if (current !== generation) return;
      const node = batchResult.data.node;
      if (node && node.__typename === 'TransferBatch') batch.value = node;

      const missing = () =>
        [...transfers.value.values()].some((t) => !isFinalTransferStatus(t.status));
      // The batch's transfers are the newest ones: ask for little more than them.
      const first = Math.min(100, transfers.value.size + 10);
      let after: string | null | undefined;
      for (let page = 0; page < 6 && missing(); page++) {
        const result = await client.query({
          query: RecentTransfersDocument,
          variables: { organizationId: options.organizationId.value, first, after },
          fetchPolicy: 'network-only',
        });
        if (current !== generation) return;
        for (const edge of result.data.transfers.edges) apply(edge.node);
        if (!result.data.transfers.pageInfo.hasNextPage) break;
        after = result.data.transfers.pageInfo.endCursor;
      }
      pollError.value = null;
    } catch (error) {
      pollError.value = error;
    }
  }

  function schedule(current: number) {
    clearTimeout(timer);
    timer = setTimeout(
      async () => {
        if (current !== generation || !tracking.value) return;
        await poll(current);
        finishIfDone();
        if (current === generation && tracking.value) schedule(current);
      },
      source.value === 'subscription' ? slowPollMs : fastPollMs,
    );
  }

  function subscribe(current: number, batchId: string) {
    const client = resolveClient();
    const onError = () => {
      if (current === generation) source.value = 'polling';
    };
    try {
      subscriptions.push(
        client
          .subscribe({
            query: TransferBatchProgressLiveDocument,
            variables: { batchId },
          })
          .subscribe({
            next: ({ data }) => {
              if (current !== generation || !data) return;
              source.value = 'subscription';
              batch.value = data.transferBatchProgress;
            },
            error: onError,
          }),
        client
          .subscribe({
            query: TransferStatusChangedLiveDocument,
            variables: { organizationId: options.organizationId.value },
          })
          .subscribe({
            next: ({ data }) => {
              if (current !== generation || !data) return;
              source.value = 'subscription';
              apply(data.transferStatusChanged.transfer);
              finishIfDone();
            },
            error: onError,
          }),
      );
    } catch {
      // No socket in this environment: polling alone carries the screen.
      source.value = 'polling';
    }
  }

  /** Starts following a batch, with the transfers the export mutation returned. */
  function track(initialBatch: TransferBatchProgressFragment, initial: TransferLiveFragment[]) {
    stop();
    const current = ++generation;
    batch.value = initialBatch;
    transfers.value = new Map(initial.map((t) => [t.id, t]));
    tracking.value = true;
    source.value = 'polling';
    pollError.value = null;
    if (allFinal.value) {
      finishIfDone();
      return;
    }
    subscribe(current, initialBatch.id);
    schedule(current);
  }

  function stop() {
    generation++;
    tracking.value = false;
    clearTimeout(timer);
    for (const s of subscriptions) s.unsubscribe();
    subscriptions = [];
  }

  function reset() {
    stop();
    batch.value = null;
    transfers.value = new Map();
  }

  onScopeDispose(stop);

  return { batch, transfers, tracking, source, done, pollError, track, stop, reset };
}
