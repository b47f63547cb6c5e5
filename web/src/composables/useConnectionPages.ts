import { computed, type Ref } from 'vue';

/** What every paged list query returns (a Relay connection with totalCount). */
interface PagedConnection<N> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  edges: { node: N }[];
}

/**
 * The rows, count and "load more" of a paged list query: `connection` is the query's connection
 * field, `fetchMore` the query's own (the cache's relayStylePagination merges the pages).
 */
export function useConnectionPages<N>(
  connection: Ref<PagedConnection<N> | null | undefined>,
  fetchMore: (options: { variables: { after: string | null | undefined } }) => unknown,
) {
  async function loadMore() {
    const pageInfo = connection.value?.pageInfo;
    if (!pageInfo?.hasNextPage) return;
    await fetchMore({ variables: { after: pageInfo.endCursor } });
  }
  return {
    nodes: computed(() => connection.value?.edges.map((e) => e.node) ?? []),
    totalCount: computed(() => connection.value?.totalCount ?? 0),
    hasNextPage: computed(() => connection.value?.pageInfo.hasNextPage ?? false),
    loaded: computed(() => !!connection.value),
    loadMore,
  };
}
