import { computed, type Ref } from 'vue';
import { useQuery } from '@vue/apollo-composable';
import { LedgerEntriesDocument, LedgerEntryDocument, type Journal } from '@/gql/graphql';

export const LEDGER_PAGE_SIZE = 25;

/** Entries of a journal (or all), newest first; `reference` matches part of the Reference. */
export function useLedgerEntries(params: {
  organizationId: Ref<string>;
  journal: Ref<Journal | null>;
  reference: Ref<string>;
}) {
  const { result, loading, error, fetchMore, refetch } = useQuery(
    LedgerEntriesDocument,
    () => ({
      organizationId: params.organizationId.value,
      journal: params.journal.value,
      reference: params.reference.value.trim() || null,
      first: LEDGER_PAGE_SIZE,
    }),
    () => ({ enabled: !!params.organizationId.value, notifyOnNetworkStatusChange: true }),
  );
  const connection = computed(() => result.value?.ledgerEntries);

  async function loadMore() {
    const pageInfo = connection.value?.pageInfo;
    if (!pageInfo?.hasNextPage) return;
    await fetchMore({ variables: { after: pageInfo.endCursor } });
  }

  return {
    entries: computed(() => connection.value?.edges.map((e) => e.node) ?? []),
    totalCount: computed(() => connection.value?.totalCount ?? 0),
    hasNextPage: computed(() => connection.value?.pageInfo.hasNextPage ?? false),
    loaded: computed(() => !!connection.value),
    loading,
    error,
    loadMore,
    refetch,
  };
}

/** One entry with its lines; `entry` is null when it does not exist. */
export function useLedgerEntry(id: Ref<string>) {
  const { result, loading, error, refetch } = useQuery(LedgerEntryDocument, () => ({
    id: id.value,
  }));
  const entry = computed(() => {
    const node = result.value?.node;
    return node?.__typename === 'LedgerEntry' ? node : null;
  });
  return { entry, loaded: computed(() => !!result.value), loading, error, refetch };
}
