import { computed, type Ref } from 'vue';
import { useQuery } from '@vue/apollo-composable';
import { useConnectionPages } from '@/composables/useConnectionPages';
import { TransferReportDocument, TransferReportsDocument } from '@/gql/graphql';

export const REPORT_PAGE_SIZE = 25;

/** Reports of transfer runs that had failures, newest first, page by page. */
export function useTransferReports(organizationId: Ref<string>) {
  const { result, loading, error, fetchMore, refetch } = useQuery(
    TransferReportsDocument,
    () => ({ organizationId: organizationId.value, first: REPORT_PAGE_SIZE }),
    () => ({ enabled: !!organizationId.value, notifyOnNetworkStatusChange: true }),
  );
  const pages = useConnectionPages(
    computed(() => result.value?.transferReports),
    fetchMore,
  );
  return {
    reports: pages.nodes,
    totalCount: pages.totalCount,
    hasNextPage: pages.hasNextPage,
    loaded: pages.loaded,
    loading,
    error,
    loadMore: pages.loadMore,
    refetch,
  };
}

/** One report with its documents and reasons; `report` is null when it does not exist. */
export function useTransferReport(id: Ref<string>) {
  const { result, loading, error, refetch } = useQuery(TransferReportDocument, () => ({
    id: id.value,
  }));
  const report = computed(() => {
    const node = result.value?.node;
    return node?.__typename === 'TransferReport' ? node : null;
  });
  return { report, loaded: computed(() => !!result.value), loading, error, refetch };
}

/** The server's CSV rendering of a report (authenticated by the session cookie). */
export function transferReportCsvUrl(id: string): string {
  return `/api/transfer-reports/${encodeURIComponent(id)}.csv`;
}
