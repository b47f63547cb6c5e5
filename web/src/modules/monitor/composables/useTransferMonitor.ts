import { computed, onScopeDispose, ref, watch, type Ref } from 'vue';
import { useApolloClient, useQuery } from '@vue/apollo-composable';
import {
  MonitorTransferStatusDocument,
  MonitorTransfersDocument,
  type MonitorTransferFragment,
  type TransferStatus,
} from '@/gql/graphql';
import { isFinalTransferStatus } from '@/modules/transfers/labels';

export interface MonitorEvent {
  key: string;
  status: TransferStatus;
  occurredAt: string;
  errors: readonly { code: string; message: string; field?: readonly string[] | null }[];
  transfer: MonitorTransferFragment;
}

/** `live`: the subscription delivers; `listening`: subscribed, nothing arrived yet; `polling`: no socket. */
export type MonitorConnection = 'listening' | 'live' | 'polling';

export interface TransferMonitorOptions {
  organizationId: Ref<string>;
  /** Server-side filter of the "current status" list; the stream is filtered by the caller. */
  statuses: Ref<readonly TransferStatus[]>;
  snapshotSize?: number;
  /** Safety-net poll while the subscription is up, and the poll when it is not. */
  slowPollMs?: number;
  fastPollMs?: number;
  maxEvents?: number;
}

const signature = (t: { status: TransferStatus; updatedAt: string }) =>
  `${t.status}|${t.updatedAt}`;

/**
 * The live transfer monitor: every status change of the organization's transfers, newest first,
 * from the `transferStatusChanged` subscription. Polls `transfers` alongside — slowly while the
 * subscription is up, every few seconds when it failed — and turns what changed into events, so
 * the stream keeps flowing without a socket and nothing is shown twice.
 */
export function useTransferMonitor(options: TransferMonitorOptions) {
  const { resolveClient } = useApolloClient();
  const snapshotSize = options.snapshotSize ?? 30;
  const slowPollMs = options.slowPollMs ?? 15_000;
  const fastPollMs = options.fastPollMs ?? 5_000;
  const maxEvents = options.maxEvents ?? 200;

  const snapshot = useQuery(
    MonitorTransfersDocument,
    () => ({
      organizationId: options.organizationId.value,
      status: options.statuses.value.length ? [...options.statuses.value] : null,
      first: snapshotSize,
    }),
    () => ({ enabled: !!options.organizationId.value, fetchPolicy: 'network-only' }),
  );
  const current = computed(() => snapshot.result.value?.transfers.edges.map((e) => e.node) ?? []);

  const events = ref<MonitorEvent[]>([]);
  const held = ref<MonitorEvent[]>([]);
  const paused = ref(false);
  const connection = ref<MonitorConnection>('listening');
  const lastChecked = ref<number | null>(null);

  /** Latest status seen per transfer id, from any source. */
  const seen = new Map<string, string>();
  let baselined = false;

  // "Latest transfers" follows the stream: reloaded shortly after a transfer reaches its end.
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  function refreshSoon() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void snapshot.refetch(), 1000);
  }

  function record(event: Omit<MonitorEvent, 'key'>) {
    const sig = signature({ status: event.status, updatedAt: event.transfer.updatedAt });
    if (seen.get(event.transfer.id) === sig) return;
    seen.set(event.transfer.id, sig);
    const entry = { ...event, key: `${event.transfer.id}:${sig}` };
    if (paused.value) held.value = [entry, ...held.value].slice(0, maxEvents);
    else events.value = [entry, ...events.value].slice(0, maxEvents);
    if (isFinalTransferStatus(event.status)) refreshSoon();
  }

  function observe(transfers: readonly MonitorTransferFragment[]) {
    // Oldest first, so the stream reads in the order things happened.
    const ordered = [...transfers].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
    for (const t of ordered) {
      if (!baselined) {
        seen.set(t.id, signature(t));
        continue;
      }
      record({ status: t.status, occurredAt: t.updatedAt, errors: t.errors, transfer: t });
    }
    baselined = true;
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  let subscription: { unsubscribe(): void } | null = null;
  let stopped = false;

  async function poll() {
    if (!options.organizationId.value) return;
    try {
      const result = await resolveClient().query({
        query: MonitorTransfersDocument,
        variables: { organizationId: options.organizationId.value, first: 20 },
        fetchPolicy: 'no-cache',
      });
      observe(result.data.transfers.edges.map((e) => e.node));
      lastChecked.value = Date.now();
    } catch {
      // The next poll tries again; the subscription may still deliver meanwhile.
    }
  }

  function schedule() {
    clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(
      async () => {
        await poll();
        schedule();
      },
      connection.value === 'polling' ? fastPollMs : slowPollMs,
    );
  }

  function fallBackToPolling() {
    if (stopped || connection.value === 'polling') return;
    connection.value = 'polling';
    schedule();
  }

  function subscribe() {
    try {
      subscription = resolveClient()
        .subscribe({
          query: MonitorTransferStatusDocument,
          variables: { organizationId: options.organizationId.value },
        })
        .subscribe({
          next: ({ data }) => {
            const e = data?.transferStatusChanged;
            if (!e) return;
            connection.value = 'live';
            record({
              status: e.status,
              occurredAt: e.occurredAt,
              errors: e.errors,
              transfer: e.transfer,
            });
          },
          error: fallBackToPolling,
          complete: fallBackToPolling,
        });
    } catch {
      fallBackToPolling();
    }
  }

  async function start() {
    await poll();
    subscribe();
    schedule();
  }

  function stop() {
    stopped = true;
    clearTimeout(timer);
    clearTimeout(refreshTimer);
    subscription?.unsubscribe();
    subscription = null;
  }

  watch(
    options.organizationId,
    (id) => {
      if (id && !subscription && !stopped) void start();
    },
    { immediate: true },
  );
  onScopeDispose(stop);

  function setPaused(value: boolean) {
    paused.value = value;
    if (!value && held.value.length) {
      events.value = [...held.value, ...events.value].slice(0, maxEvents);
      held.value = [];
    }
  }

  function clear() {
    events.value = [];
    held.value = [];
  }

  return {
    events,
    held,
    paused,
    setPaused,
    clear,
    connection,
    lastChecked,
    current,
    currentTotal: computed(() => snapshot.result.value?.transfers.totalCount ?? 0),
    loaded: computed(() => !!snapshot.result.value),
    loading: snapshot.loading,
    error: snapshot.error,
    refetch: snapshot.refetch,
  };
}
