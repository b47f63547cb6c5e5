import { computed, type Ref } from 'vue';
import { useQuery } from '@vue/apollo-composable';
import { useConnectionPages } from '@/composables/useConnectionPages';
import {
  InvoiceListDocument,
  InvoiceTabCountsDocument,
  type InvoiceFilter,
  type InvoiceOrder,
  type InvoiceTab,
} from '@/gql/graphql';

export const INVOICE_PAGE_SIZE = 50;

export function useInvoiceList(params: {
  organizationId: Ref<string>;
  tab: Ref<InvoiceTab>;
  filter: Ref<InvoiceFilter>;
  orderBy: Ref<InvoiceOrder | null>;
}) {
  const { result, loading, error, fetchMore, refetch } = useQuery(
    InvoiceListDocument,
    () => ({
      organizationId: params.organizationId.value,
      tab: params.tab.value,
      filter: params.filter.value,
      orderBy: params.orderBy.value,
      first: INVOICE_PAGE_SIZE,
    }),
    () => ({ enabled: !!params.organizationId.value, notifyOnNetworkStatusChange: true }),
  );

  const pages = useConnectionPages(
    computed(() => result.value?.invoices),
    fetchMore,
  );
  return {
    rows: pages.nodes,
    totalCount: pages.totalCount,
    hasNextPage: pages.hasNextPage,
    loaded: pages.loaded,
    loading,
    error,
    loadMore: pages.loadMore,
    refetch,
  };
}

export function useInvoiceTabCounts(organizationId: Ref<string>) {
  const { result, refetch } = useQuery(
    InvoiceTabCountsDocument,
    () => ({ organizationId: organizationId.value }),
    // Live counts: other users and automatic transfers move invoices between tabs.
    () => ({ enabled: !!organizationId.value, pollInterval: 15_000 }),
  );
  const counts = computed(() => {
    const map = new Map<InvoiceTab, number>();
    for (const c of result.value?.invoiceTabCounts ?? []) map.set(c.tab, c.count);
    return map;
  });
  return { counts, refetch };
}
