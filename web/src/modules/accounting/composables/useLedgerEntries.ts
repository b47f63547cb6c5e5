import { computed, type Ref } from 'vue';
import { useQuery } from '@vue/apollo-composable';
import { useConnectionPages } from '@/composables/useConnectionPages';
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
  const pages = useConnectionPages(
    computed(() => result.value?.ledgerEntries),
    fetchMore,
  );
  return {
    entries: pages.nodes,
    totalCount: pages.totalCount,
    hasNextPage: pages.hasNextPage,
    loaded: pages.loaded,
    loading,
    error,
    loadMore: pages.loadMore,
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
