import { computed, type Ref } from 'vue';
import { useQuery } from '@vue/apollo-composable';
import { InvoiceHistoryDocument } from '@/gql/graphql';

export function useInvoiceHistory(id: Ref<string>, pageSize = 20) {
  const { result, loading, error, fetchMore, refetch } = useQuery(
    InvoiceHistoryDocument,
    () => ({ id: id.value, first: pageSize }),
    { notifyOnNetworkStatusChange: true },
  );
  const history = computed(() => result.value?.invoice?.history);
  return {
    events: computed(() => history.value?.edges.map((e) => e.node) ?? []),
    totalCount: computed(() => history.value?.totalCount ?? 0),
    hasNextPage: computed(() => history.value?.pageInfo.hasNextPage ?? false),
    loaded: computed(() => !!history.value),
    loading,
    error,
    refetch,
    loadMore: () =>
      history.value?.pageInfo.hasNextPage
        ? fetchMore({ variables: { after: history.value.pageInfo.endCursor } })
        : undefined,
  };
}
