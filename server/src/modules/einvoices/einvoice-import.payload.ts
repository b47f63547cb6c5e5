/**
 * One import as the API answers it, shared by the mutation, the upload endpoint and the CLI: the
 * service in its own transaction, then the document, invoice and warnings loaded for the payload.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { runMutation } from '../../common/mutation.js';
import type { UserError, Warning } from '../../common/payload.types.js';
import { toUserErrors } from '../../common/payload.types.js';
import { serviceContext } from '../../common/service-context.js';
import type { RequestContext } from '../../context.js';
import { PurchaseInvoice } from '../invoices/invoice.entity.js';
import { lineData, loadLines, warningsFor } from '../invoices/posting-lines.js';
import { EInvoiceDocument } from './einvoice.entity.js';
import { importEInvoice, type ImportEInvoiceData } from './einvoice-import.service.js';
import { EInvoiceImportOutcome } from './einvoice.payloads.js';
import type { RuleFinding } from './validation/schematron.js';

export interface LoadedImport {
  outcome: EInvoiceImportOutcome;
  document: EInvoiceDocument | null;
  invoice: PurchaseInvoice | null;
  supplierMatchedBy: string | null;
  findings: RuleFinding[];
  warnings: Warning[];
  userErrors: UserError[];
}

export async function importEInvoiceAndLoad(
  ctx: RequestContext,
  input: ImportEInvoiceData,
): Promise<LoadedImport> {
  const out = await runMutation<Omit<LoadedImport, 'userErrors'> & { userErrors?: UserError[] }>(
    ctx,
    {
      outcome: EInvoiceImportOutcome.REJECTED,
      document: null,
      invoice: null,
      supplierMatchedBy: null,
      findings: [],
      warnings: [],
    },
    async (em) => {
      const sctx = serviceContext(ctx);
      const r = await importEInvoice(em, sctx, input);
      const loaded = await load(em, ctx, r.documentId, r.invoiceId);
      return {
        outcome: EInvoiceImportOutcome[r.outcome],
        ...loaded,
        supplierMatchedBy: r.matchedBy,
        findings: r.findings,
        ...(r.userErrors ? { userErrors: toUserErrors(r.userErrors) } : {}),
      };
    },
  );
  return out as LoadedImport;
}

async function load(
  em: EntityManager,
  ctx: RequestContext,
  documentId: string | null,
  invoiceId: string | null,
) {
  const document = documentId ? await em.findOne(EInvoiceDocument, { id: documentId }) : null;
  const invoice = invoiceId ? await em.findOne(PurchaseInvoice, { id: invoiceId }) : null;
  const warnings: Warning[] = [...(document?.mappingWarnings ?? [])];
  if (invoice) {
    const lines = (await loadLines(em, invoice)).map(lineData);
    warnings.push(...(await warningsFor(ctx.services.accounting, invoice, lines)));
  }
  return { document, invoice, warnings };
}
