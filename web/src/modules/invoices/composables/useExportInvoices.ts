import { computed, ref } from 'vue';
import { useMutation } from '@vue/apollo-composable';
import {
  ExportInvoicesDocument,
  type InvoiceRowFragment,
  type TransferLiveFragment,
} from '@/gql/graphql';
import { useOrganizationId } from '@/composables/useSession';
import { errorMessage, type FieldError } from '@/lib/errors';
import { useTransferBatchLive } from '@/modules/transfers/composables/useTransferBatchLive';
import { isFinalTransferStatus } from '@/modules/transfers/labels';

export interface ExportedInvoice {
  invoice: InvoiceRowFragment;
  /** The transfer queued for it; null when the server refused the invoice. */
  transferId: string | null;
  /** Why the server refused it (field ["invoiceIds", i]). */
  refusal: FieldError | null;
}

export interface ExportRun {
  idempotencyKey: string;
  startedAt: number;
  items: ExportedInvoice[];
  /** Problems with the request as a whole. */
  errors: FieldError[];
}

export interface ExportRow extends ExportedInvoice {
  transfer: TransferLiveFragment | null;
}

/** Why an invoice cannot be exported now, before asking the server; empty when it can. */
export function exportBlockers(
  invoice: InvoiceRowFragment,
  inFlight: ReadonlySet<string> = new Set(),
): FieldError[] {
  if (inFlight.has(invoice.id)) {
    return [{ code: 'TRANSFER_IN_PROGRESS', message: 'It is being transferred right now.' }];
  }
  return invoice.transferBlockers;
}

/**
 * "Export to accounting" for a selection: one idempotency key per click, refused invoices
 * explained by the server's userErrors, then live status per invoice until every transfer
 * of the batch is final.
 */
export function useExportInvoices(options: { onFinished?: () => void } = {}) {
  const organizationId = useOrganizationId();
  const { mutate } = useMutation(ExportInvoicesDocument);
  const live = useTransferBatchLive({ organizationId, onFinished: () => options.onFinished?.() });

  const submitting = ref(false);
  const run = ref<ExportRun | null>(null);
  const error = ref<string | null>(null);

  const rows = computed<ExportRow[]>(() =>
    (run.value?.items ?? []).map((item) => ({
      ...item,
      transfer: item.transferId ? (live.transfers.value.get(item.transferId) ?? null) : null,
    })),
  );

  /** Latest transfer per invoice of the current run, for the table's status column. */
  const transferByInvoice = computed(() => {
    const map = new Map<string, TransferLiveFragment>();
    for (const row of rows.value) if (row.transfer) map.set(row.invoice.id, row.transfer);
    return map;
  });

  /** Invoices of the current run whose transfer is not final yet. */
  const inFlight = computed(
    () =>
      new Set(
        rows.value
          .filter((r) => r.transfer && !isFinalTransferStatus(r.transfer.status))
          .map((r) => r.invoice.id),
      ),
  );

  const running = computed(() => submitting.value || (live.tracking.value && !live.done.value));

  async function start(invoices: InvoiceRowFragment[]): Promise<ExportRun | null> {
    // The button is disabled meanwhile; this also stops a double click from queueing twice.
    if (submitting.value || invoices.length === 0) return null;
    submitting.value = true;
    error.value = null;
    const idempotencyKey = crypto.randomUUID();
    try {
      const result = await mutate({
        input: {
          organizationId: organizationId.value,
          invoiceIds: invoices.map((i) => i.id),
          idempotencyKey,
        },
      });
      const payload = result?.data?.exportInvoices;
      if (!payload) throw new Error('The server did not answer the export.');

      const refusals = new Map<number, FieldError>();
      const general: FieldError[] = [];
      for (const e of payload.userErrors) {
        const index = e.field?.[0] === 'invoiceIds' ? Number(e.field[1]) : NaN;
        if (Number.isInteger(index)) refusals.set(index, e);
        else general.push(e);
      }
      const transferOf = new Map(
        payload.transfers.filter((t) => t.invoice).map((t) => [t.invoice!.id, t]),
      );
      run.value = {
        idempotencyKey,
        startedAt: Date.now(),
        errors: general,
        items: invoices.map((invoice, i) => ({
          invoice,
          transferId: transferOf.get(invoice.id)?.id ?? null,
          refusal: refusals.get(i) ?? (transferOf.has(invoice.id) ? null : (general[0] ?? null)),
        })),
      };
      if (payload.batch) live.track(payload.batch, payload.transfers);
      else live.reset();
      return run.value;
    } catch (e) {
      error.value = errorMessage(e);
      return null;
    } finally {
      submitting.value = false;
    }
  }

  /** Closes the progress panel; transfers still running carry on on the server. */
  function dismiss() {
    live.reset();
    run.value = null;
    error.value = null;
  }

  const counts = computed(() => {
    const c = { total: rows.value.length, transferred: 0, failed: 0, refused: 0, live: 0 };
    for (const row of rows.value) {
      if (!row.transfer) c.refused++;
      else if (row.transfer.status === 'TRANSFERRED') c.transferred++;
      else if (row.transfer.status === 'FAILED' || row.transfer.status === 'CANCELLED') c.failed++;
      else c.live++;
    }
    return c;
  });

  return {
    start,
    dismiss,
    submitting,
    running,
    run,
    rows,
    counts,
    error,
    batch: live.batch,
    source: live.source,
    done: live.done,
    transferByInvoice,
    inFlight,
  };
}
