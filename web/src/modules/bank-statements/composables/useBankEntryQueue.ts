import { computed, type Ref } from 'vue';
import { useMutation, useQuery } from '@vue/apollo-composable';
import type { ApolloCache } from '@apollo/client/core';
import { useConnectionPages } from '@/composables/useConnectionPages';
import {
  AssignBankEntryDocument,
  BankEntryQueueDocument,
  ConfirmBankEntryMatchDocument,
  IgnoreBankEntryDocument,
} from '@/gql/graphql';
import { errorMessage, type FieldError } from '@/lib/errors';
import { dropBankLists } from './useBankStatements';

export const QUEUE_PAGE_SIZE = 20;

/** Queued entries, oldest first, and the three ways to resolve one. */
export function useBankEntryQueue(organizationId: Ref<string>) {
  const { result, loading, error, fetchMore, refetch } = useQuery(
    BankEntryQueueDocument,
    () => ({ organizationId: organizationId.value, first: QUEUE_PAGE_SIZE }),
    () => ({ enabled: !!organizationId.value, notifyOnNetworkStatusChange: true }),
  );
  const pages = useConnectionPages(
    computed(() => result.value?.bankEntryQueue),
    fetchMore,
  );
  // The queue on screen is fetched again; the other lists are dropped until shown.
  const options = {
    update: (cache: ApolloCache<unknown>) => dropBankLists(cache, ['bankEntryQueue']),
    refetchQueries: ['BankEntryQueue'],
  };
  const confirm = useMutation(ConfirmBankEntryMatchDocument, options);
  const assign = useMutation(AssignBankEntryDocument, options);
  const ignore = useMutation(IgnoreBankEntryDocument, options);

  async function run(call: () => Promise<{ userErrors: FieldError[] } | null | undefined>) {
    try {
      const payload = await call();
      return payload
        ? payload.userErrors
        : [{ code: 'NO_ANSWER', message: 'No answer from the server' }];
    } catch (e) {
      return [{ code: 'NETWORK', message: errorMessage(e) }];
    }
  }

  return {
    entries: pages.nodes,
    totalCount: pages.totalCount,
    hasNextPage: pages.hasNextPage,
    loaded: pages.loaded,
    loadMore: pages.loadMore,
    loading,
    error,
    refetch,
    saving: computed(() => confirm.loading.value || assign.loading.value || ignore.loading.value),
    confirm: (entryId: string, invoiceIds?: string[]) =>
      run(
        async () =>
          (await confirm.mutate({ input: invoiceIds ? { entryId, invoiceIds } : { entryId } }))
            ?.data?.confirmBankEntryMatch,
      ),
    assign: (entryId: string, allocations: { invoiceId: string; amount: string }[]) =>
      run(
        async () =>
          (await assign.mutate({ input: { entryId, allocations } }))?.data?.assignBankEntry,
      ),
    ignore: (entryId: string, reason: string | null) =>
      run(async () => (await ignore.mutate({ input: { entryId, reason } }))?.data?.ignoreBankEntry),
  };
}
