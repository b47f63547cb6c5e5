import { ref, type Ref } from 'vue';
import { useApolloClient } from '@vue/apollo-composable';

/** One file's answer from POST /api/einvoices/import. */
export interface EInvoiceUploadResult {
  filename: string;
  outcome: 'CREATED' | 'DUPLICATE' | 'NEEDS_SUPPLIER' | 'REJECTED';
  documentId: string | null;
  invoiceId: string | null;
  invoiceNumber: string | null;
  supplierMatchedBy: string | null;
  findings: { ruleId: string; flag: string; message: string; location: string }[];
  warnings: { code: string; message: string }[];
  userErrors: { code: string; message: string }[];
}

export const IMPORT_URL = '/api/einvoices/import';

/**
 * Sends dropped or picked files to the upload endpoint in one multipart request (the server
 * imports each on its own) and keeps the per-file results; the invoice lists are refetched after.
 */
export function useEInvoiceUpload(organizationId: Ref<string>) {
  const { resolveClient } = useApolloClient();
  const results = ref<EInvoiceUploadResult[]>([]);
  const uploading = ref(false);
  const failure = ref<string | null>(null);

  async function upload(files: File[]): Promise<void> {
    if (!files.length) return;
    uploading.value = true;
    failure.value = null;
    try {
      const form = new FormData();
      for (const f of files) form.append('file', f, f.name);
      const res = await fetch(
        `${IMPORT_URL}?organizationId=${encodeURIComponent(organizationId.value)}`,
        {
          method: 'POST',
          body: form,
          credentials: 'same-origin',
          // The CSRF rule of the app: a cross-site form cannot send this header.
          headers: { 'apollo-require-preflight': 'true' },
        },
      );
      const body = (await res.json().catch(() => null)) as {
        results?: EInvoiceUploadResult[];
        errors?: { message: string }[];
      } | null;
      if (!res.ok || !body?.results) {
        failure.value = body?.errors?.[0]?.message ?? `The upload failed (HTTP ${res.status})`;
        return;
      }
      results.value = body.results;
      const cache = resolveClient().cache;
      for (const fieldName of ['invoices', 'invoiceTabCounts', 'einvoiceDocuments'])
        cache.evict({ id: 'ROOT_QUERY', fieldName });
      cache.gc();
    } catch (err) {
      failure.value = err instanceof Error ? err.message : String(err);
    } finally {
      uploading.value = false;
    }
  }

  return { results, uploading, failure, upload };
}
