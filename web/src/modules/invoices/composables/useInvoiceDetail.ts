import type { ApolloCache } from '@apollo/client/core';
import { computed, ref, watch, type Ref } from 'vue';
import { useMutation, useQuery, useSubscription } from '@vue/apollo-composable';
import {
  ApproveInvoiceDocument,
  InvoiceDetailDocument,
  MasterDataDocument,
  RejectInvoiceDocument,
  RemoveInvoiceDocument,
  RetryTransferDocument,
  TransferStatusChangedLiveDocument,
  UpdatePostingDocument,
  type PostingLineInput,
} from '@/gql/graphql';
import { useOrganizationId } from '@/composables/useSession';
import { errorMessage, type FieldError } from '@/lib/errors';
import { isFinalTransferStatus } from '@/modules/transfers/labels';

/**
 * Lists and counts change when an invoice does. They are usually not on screen here, so
 * they are dropped from the cache (refetched when shown) rather than named in
 * refetchQueries, which only reaches mounted queries; the history on screen is refetched.
 */
function dropInvoiceLists(cache: ApolloCache<unknown>) {
  cache.evict({ id: 'ROOT_QUERY', fieldName: 'invoices' });
  cache.evict({ id: 'ROOT_QUERY', fieldName: 'invoiceTabCounts' });
  cache.gc();
}
const AFFECTED = { update: dropInvoiceLists, refetchQueries: ['InvoiceHistory'] };

export interface MutationOutcome {
  ok: boolean;
  errors: FieldError[];
  warnings: FieldError[];
}

function outcome(
  payload: { userErrors: FieldError[]; warnings?: FieldError[] } | null | undefined,
  thrown?: unknown,
): MutationOutcome {
  if (thrown || !payload) {
    return {
      ok: false,
      errors: [{ code: 'NETWORK', message: errorMessage(thrown) || 'No answer from the server.' }],
      warnings: [],
    };
  }
  return {
    ok: payload.userErrors.length === 0,
    errors: payload.userErrors,
    warnings: payload.warnings ?? [],
  };
}

export function useInvoiceDetail(id: Ref<string>) {
  const pollInterval = ref(0);
  const { result, loading, error, refetch } = useQuery(
    InvoiceDetailDocument,
    () => ({ id: id.value }),
    () => ({ pollInterval: pollInterval.value, notifyOnNetworkStatusChange: false }),
  );
  const invoice = computed(() => result.value?.invoice ?? null);
  const latestTransfer = computed(() => invoice.value?.transfers[0] ?? null);

  /**
   * A transfer in flight: refresh until it is final, so the page never shows a stale state. The
   * invoice's own transfer status counts too: a refetch reads the invoice row and its transfers
   * in separate statements, so it may see the transfer final and the invoice not yet.
   */
  const transferInFlight = computed(
    () =>
      (!!latestTransfer.value && !isFinalTransferStatus(latestTransfer.value.status)) ||
      (!!invoice.value?.transferStatus && !isFinalTransferStatus(invoice.value.transferStatus)),
  );

  // While a transfer of this invoice runs, its status events refresh the page at once; the
  // poll stays as the safety net, slower once the socket has delivered.
  const organizationId = useOrganizationId();
  const live = ref(false);
  const events = useSubscription(
    TransferStatusChangedLiveDocument,
    () => ({ organizationId: organizationId.value }),
    () => ({ enabled: transferInFlight.value && !!organizationId.value }),
  );
  events.onResult(({ data }) => {
    if (data?.transferStatusChanged.invoiceId !== id.value) return;
    live.value = true;
    void refetch();
  });
  events.onError(() => (live.value = false));
  watch(
    [transferInFlight, live],
    ([inFlight, delivering]) => (pollInterval.value = inFlight ? (delivering ? 10_000 : 2000) : 0),
    { immediate: true },
  );

  return { invoice, latestTransfer, transferInFlight, loading, error, refetch };
}

export function useMasterData() {
  const organizationId = useOrganizationId();
  const { result, loading, error } = useQuery(
    MasterDataDocument,
    () => ({ organizationId: organizationId.value }),
    () => ({ enabled: !!organizationId.value, fetchPolicy: 'cache-first' }),
  );
  return {
    masterData: computed(() => result.value?.masterData ?? null),
    loading,
    error,
  };
}

export function useInvoiceActions() {
  const updatePosting = useMutation(UpdatePostingDocument, AFFECTED);
  const approve = useMutation(ApproveInvoiceDocument, AFFECTED);
  const reject = useMutation(RejectInvoiceDocument, AFFECTED);
  const remove = useMutation(RemoveInvoiceDocument, AFFECTED);
  // The new transfer is not in the payload's invoice: refetch the page to show it.
  const retry = useMutation(RetryTransferDocument, {
    update: dropInvoiceLists,
    refetchQueries: ['InvoiceHistory', 'InvoiceDetail'],
  });

  async function run<T>(
    call: () => Promise<T>,
    pick: (data: T) => { userErrors: FieldError[]; warnings?: FieldError[] } | null | undefined,
  ): Promise<MutationOutcome> {
    try {
      return outcome(pick(await call()));
    } catch (e) {
      return outcome(null, e);
    }
  }

  return {
    saving: computed(
      () =>
        updatePosting.loading.value ||
        approve.loading.value ||
        reject.loading.value ||
        remove.loading.value ||
        retry.loading.value,
    ),
    savingPosting: updatePosting.loading,
    approving: approve.loading,
    rejecting: reject.loading,
    removing: remove.loading,
    retrying: retry.loading,

    updatePosting: (invoiceId: string, version: number, lines: PostingLineInput[]) =>
      run(
        () => updatePosting.mutate({ input: { invoiceId, version, lines } }),
        (r) => r?.data?.updatePosting,
      ),
    approve: (invoiceId: string, version: number, comment?: string) =>
      run(
        () => approve.mutate({ input: { invoiceId, version, comment: comment || null } }),
        (r) => r?.data?.approveInvoice,
      ),
    reject: (invoiceId: string, version: number, reason: string, returnToStage?: string | null) =>
      run(
        () =>
          reject.mutate({
            input: { invoiceId, version, reason, returnToStage: returnToStage || null },
          }),
        (r) => r?.data?.rejectInvoice,
      ),
    remove: (invoiceId: string, alsoRemoveFromAccounting: boolean) =>
      run(
        () =>
          remove.mutate({
            input: { invoiceId, alsoRemoveFromAccounting, idempotencyKey: crypto.randomUUID() },
          }),
        (r) => r?.data?.removeInvoice,
      ),
    retry: (transferId: string) =>
      run(
        () => retry.mutate({ input: { transferId, idempotencyKey: crypto.randomUUID() } }),
        (r) => r?.data?.retryTransfer,
      ),
  };
}
