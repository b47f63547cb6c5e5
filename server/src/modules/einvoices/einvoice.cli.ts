/**
 * `pnpm ledgerlink import <files|folders…> --org SLUG [--as EMAIL]`: each e-invoice (a folder
 * gives its .xml files, sorted) through the importEInvoice service in its own transaction, as the
 * given member (default: the organization's first ADMIN). One line per file; `failed` when any
 * file was refused or unreadable.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccountingSystem } from '../../accounting/accounting-system.js';
import { cliCaller } from '../../common/cli-caller.js';
import { DomainError } from '../../common/errors.js';
import { toGlobalId } from '../../common/ids.js';
import { PurchaseInvoice } from '../invoices/invoice.entity.js';
import { EInvoiceDocument } from './einvoice.entity.js';
import { importEInvoice } from './einvoice-import.service.js';
import { EINVOICE_LIMITS } from './einvoice-limits.js';

/** The files named, folders replaced by the .xml files in them (not recursive), in order. */
export function expandFiles(paths: string[]): string[] {
  return paths.flatMap((p) => {
    if (fs.existsSync(p) && fs.statSync(p).isDirectory()) {
      return fs
        .readdirSync(p)
        .filter((f) => f.toLowerCase().endsWith('.xml'))
        .sort()
        .map((f) => path.join(p, f));
    }
    return [p];
  });
}

export async function einvoiceImportCommand(
  em: EntityManager,
  accounting: AccountingSystem,
  paths: string[],
  flags: Record<string, string | true>,
): Promise<{ lines: string[]; failed: boolean }> {
  if (!paths.length) throw new Error('name one or more e-invoice files or folders');
  const { org, caller } = await cliCaller(em, flags);
  const lines: string[] = [];
  let failed = false;
  const fail = (line: string) => {
    failed = true;
    lines.push(line);
  };
  for (const file of expandFiles(paths)) {
    const name = path.basename(file);
    let bytes: Buffer;
    try {
      if (fs.statSync(file).size > EINVOICE_LIMITS.maxDocumentBytes) {
        fail(
          `${name}: error DOCUMENT_TOO_LARGE larger than ${EINVOICE_LIMITS.maxDocumentBytes / 1024 / 1024} MiB`,
        );
        continue;
      }
      bytes = fs.readFileSync(file);
    } catch (err) {
      fail(`${name}: error FILE_UNREADABLE ${(err as Error).message}`);
      continue;
    }
    try {
      const line = await em.fork().transactional(async (tem) => {
        const r = await importEInvoice(
          tem,
          { caller, requestId: `cli-${randomUUID()}`, accounting },
          {
            organizationId: toGlobalId('Organization', org.id),
            document: bytes,
            filename: name,
            idempotencyKey: `cli-${randomUUID()}`,
          },
        );
        if (r.userErrors?.length) {
          failed = true;
          const e = r.userErrors[0]!;
          return `${name}: error ${e.code} ${e.message}`;
        }
        const doc = r.documentId
          ? await tem.findOneOrFail(EInvoiceDocument, { id: r.documentId })
          : null;
        const invoice = r.invoiceId
          ? await tem.findOneOrFail(PurchaseInvoice, { id: r.invoiceId })
          : null;
        const warnings = r.findings.length + (doc?.mappingWarnings.length ?? 0);
        const what = `${doc?.parsed.kind === 'CREDIT_NOTE' ? 'credit note' : 'invoice'} ${doc?.parsed.invoiceNumber ?? ''}`;
        const tail = warnings ? `, ${warnings} warning(s)` : '';
        switch (r.outcome) {
          case 'CREATED':
            return `${name}: imported ${what} ${invoice!.grossAmount} ${invoice!.currency} (supplier by ${r.matchedBy})${tail}`;
          case 'DUPLICATE':
            return `${name}: duplicate of ${what} imported before${tail}`;
          default:
            return `${name}: needs supplier ${doc?.parsed.supplier.name ?? '(unnamed)'} for ${what}: createSupplierFromEInvoice ${toGlobalId('EInvoiceDocument', doc!.id)}${tail}`;
        }
      });
      lines.push(line);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      fail(`${name}: error ${err.code} ${err.message}`);
    }
  }
  return { lines, failed };
}
