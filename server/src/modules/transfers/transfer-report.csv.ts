/**
 * `GET /api/transfer-reports/:id.csv`: a transfer report as a spreadsheet, one row per reason a
 * document was not transferred. Authenticated like /graphql (session cookie or bearer token);
 * a report of another organization is a 404, exactly like a missing one.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { can, organizationIdsOf } from '../../auth/access.js';
import { authenticate } from '../../auth/authenticate.js';
import { Permission } from '../../auth/permissions.js';
import { fromGlobalId } from '../../common/ids.js';
import type { AppServices } from '../../context.js';
import { PurchaseInvoice } from '../invoices/invoice.entity.js';
import { Payment } from '../payments/payment.entity.js';
import { TransferReport } from './transfer.entity.js';

export const TRANSFER_REPORT_CSV_PATH = '/api/transfer-reports/:id.csv';

const HEADER = [
  'Document type',
  'Invoice number',
  'Supplier',
  'Account name',
  'Document number',
  'Date',
  'Amount',
  'Currency',
  'Reason code',
  'Reason',
  'Field',
];

/** A cell a spreadsheet would read as a formula (=, +, -, @, tab, CR) is prefixed with an apostrophe. */
function text(value: string | null | undefined): string {
  const v = value ?? '';
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

/** RFC 4180 quoting: cells with a comma, quote or line break are quoted, quotes doubled. */
function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return cells
    .map((cell) => {
      const v = cell == null ? '' : String(cell);
      return /[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
    })
    .join(',');
}

export async function renderTransferReportCsv(
  em: EntityManager,
  report: TransferReport,
): Promise<string> {
  const organization = report.organization.id;
  const invoiceIds = report.items.map((i) => i.invoiceId).filter((x): x is string => !!x);
  const paymentIds = report.items.map((i) => i.paymentId).filter((x): x is string => !!x);
  const invoices = new Map(
    (
      await em.find(
        PurchaseInvoice,
        { organization, id: { $in: invoiceIds } },
        { populate: ['supplier'] },
      )
    ).map((i) => [i.id, i]),
  );
  const payments = new Map(
    (
      await em.find(
        Payment,
        { organization, id: { $in: paymentIds } },
        { populate: ['invoice', 'invoice.supplier'] },
      )
    ).map((p) => [p.id, p]),
  );

  const lines = [csvLine(HEADER)];
  for (const item of report.items) {
    const payment = item.paymentId ? payments.get(item.paymentId) : undefined;
    const invoice = payment?.invoice ?? (item.invoiceId ? invoices.get(item.invoiceId) : undefined);
    const document = [
      payment || item.paymentId ? 'Payment' : 'Invoice',
      text(invoice?.invoiceNumber),
      text(invoice?.supplier.name),
      text(invoice?.supplier.accountName),
      payment ? payment.documentNumber : invoice?.documentNumber,
      payment ? payment.paymentDate : invoice?.billDate,
      payment ? payment.amount : invoice?.grossAmount,
      invoice?.currency,
    ];
    const errors = item.errors.length ? item.errors : [{ code: '', message: '', field: null }];
    for (const error of errors) {
      lines.push(
        csvLine([...document, error.code, text(error.message), (error.field ?? []).join('.')]),
      );
    }
  }
  return lines.join('\r\n') + '\r\n';
}

function fail(res: Response, status: number, code: string, message: string): void {
  res
    .status(status)
    .json({ errors: [{ message, extensions: { code, requestId: res.locals.requestId } }] });
}

/** "transfer-report-2026-11-20-1454.csv" (UTC). */
function fileName(report: TransferReport): string {
  const stamp = report.createdAt.toISOString().slice(0, 16).replace('T', '-').replace(':', '');
  return `transfer-report-${stamp}.csv`;
}

export function transferReportCsvHandler(services: AppServices): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const em = services.orm.em.fork();
      const caller = await authenticate(em, {
        authorization: req.header('authorization'),
        cookie: req.header('cookie'),
      });
      if (caller.kind === 'anonymous') {
        fail(
          res,
          401,
          'UNAUTHENTICATED',
          'Sign in or send an API token (Authorization: Bearer ...)',
        );
        return;
      }
      const id = fromGlobalId(String(req.params.id), 'TransferReport');
      const organizations = organizationIdsOf(caller).filter((org) =>
        can(caller, org, Permission.READ),
      );
      const report =
        id && organizations.length
          ? await em.findOne(TransferReport, { id, organization: { $in: organizations } })
          : null;
      if (!report) {
        fail(res, 404, 'NOT_FOUND', 'Transfer report not found');
        return;
      }
      const csv = await renderTransferReportCsv(em, report);
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="${fileName(report)}"`);
      res.setHeader('cache-control', 'private, no-store');
      // The byte-order mark makes spreadsheet programs read the UTF-8 (ä, ö) correctly.
      res.send(`\uFEFF${csv}`);
    } catch (err) {
      next(err);
    }
  };
}
