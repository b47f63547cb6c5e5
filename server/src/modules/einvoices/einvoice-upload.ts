/**
 * `POST /api/einvoices/import?organizationId=<id>`: multipart/form-data with one or many files
 * (any field name), streamed through busboy with the size limits of einvoice-limits.ts; each file
 * goes through the importEInvoice service in its own transaction and gets its own JSON result.
 * A cookie session must send `apollo-require-preflight` (or `x-ledgerlink-csrf`), the header the
 * SPA sends to GraphQL: a cross-site form cannot, so it cannot import in a user's name.
 */
import { randomUUID } from 'node:crypto';
import busboy from 'busboy';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { authenticate } from '../../auth/authenticate.js';
import { UserErrorCode } from '../../common/errors.js';
import { toGlobalId } from '../../common/ids.js';
import { createRequestContext, type AppServices } from '../../context.js';
import { EINVOICE_LIMITS } from './einvoice-limits.js';
import { importEInvoiceAndLoad, type LoadedImport } from './einvoice-import.payload.js';
import { failJson } from './einvoice-downloads.js';

export const EINVOICE_IMPORT_PATH = '/api/einvoices/import';

/** All files of one request together: more than this is refused file by file. */
const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

interface ReceivedFile {
  filename: string;
  bytes: Buffer | null;
  /** Why the file was not read whole. */
  refused: string | null;
}

export interface UploadFileResult {
  filename: string;
  outcome: string;
  documentId: string | null;
  invoiceId: string | null;
  invoiceNumber: string | null;
  supplierMatchedBy: string | null;
  findings: LoadedImport['findings'];
  warnings: LoadedImport['warnings'];
  userErrors: LoadedImport['userErrors'];
}

export function toUploadResult(filename: string, r: LoadedImport): UploadFileResult {
  return {
    filename,
    outcome: r.outcome,
    documentId: r.document ? toGlobalId('EInvoiceDocument', r.document.id) : null,
    invoiceId: r.invoice ? toGlobalId('PurchaseInvoice', r.invoice.id) : null,
    invoiceNumber: r.document?.parsed.invoiceNumber ?? null,
    supplierMatchedBy: r.supplierMatchedBy,
    findings: r.findings,
    warnings: r.warnings,
    userErrors: r.userErrors,
  };
}

function refusedResult(filename: string, message: string): UploadFileResult {
  return {
    filename,
    outcome: 'REJECTED',
    documentId: null,
    invoiceId: null,
    invoiceNumber: null,
    supplierMatchedBy: null,
    findings: [],
    warnings: [],
    userErrors: [{ code: UserErrorCode.DOCUMENT_TOO_LARGE, message, field: ['document'] }],
  };
}

/** Reads the multipart body; files past a limit are drained and marked, never buffered whole. */
function receiveFiles(req: Request): Promise<ReceivedFile[]> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        // Browsers send file names in UTF-8 (ä, ö), not busboy's default latin1.
        defParamCharset: 'utf8',
        limits: {
          fileSize: EINVOICE_LIMITS.maxDocumentBytes,
          files: EINVOICE_LIMITS.maxUploadFiles,
          fields: 10,
          fieldSize: 1024,
        },
      });
    } catch (err) {
      reject(Object.assign(err as Error, { status: 400 }));
      return;
    }
    const files: ReceivedFile[] = [];
    let total = 0;
    let tooMany = false;
    bb.on('file', (_field, stream, info) => {
      const file: ReceivedFile = {
        filename: info.filename || `file-${files.length + 1}`,
        bytes: null,
        refused: null,
      };
      files.push(file);
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (file.refused) return;
        if (total > MAX_UPLOAD_BYTES) {
          file.refused = `The upload is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB in all: send this file again on its own`;
          chunks.length = 0;
          return;
        }
        chunks.push(chunk);
      });
      stream.on('limit', () => {
        file.refused = `The file is larger than ${EINVOICE_LIMITS.maxDocumentBytes / 1024 / 1024} MiB, the most an e-invoice may be`;
        chunks.length = 0;
      });
      stream.on('close', () => {
        if (!file.refused) file.bytes = Buffer.concat(chunks);
      });
    });
    bb.on('filesLimit', () => {
      tooMany = true;
    });
    bb.on('error', (err) => reject(Object.assign(err as Error, { status: 400 })));
    bb.on('close', () => {
      if (tooMany) {
        files.push({
          filename: '(more files)',
          bytes: null,
          refused: `At most ${EINVOICE_LIMITS.maxUploadFiles} files per upload: the rest were not read`,
        });
      }
      resolve(files);
    });
    req.pipe(bb);
  });
}

export function einvoiceUploadHandler(services: AppServices): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const requestId = (res.locals.requestId as string | undefined) ?? randomUUID();
      const em = services.orm.em.fork();
      const authorization = req.header('authorization');
      const caller = await authenticate(em, { authorization, cookie: req.header('cookie') });
      if (caller.kind === 'anonymous') {
        failJson(
          res,
          401,
          'UNAUTHENTICATED',
          'Sign in or send an API token (Authorization: Bearer ...)',
        );
        return;
      }
      if (
        !authorization &&
        !req.header('apollo-require-preflight') &&
        !req.header('x-ledgerlink-csrf')
      ) {
        failJson(
          res,
          400,
          'CSRF',
          'A browser upload must send the apollo-require-preflight header',
        );
        return;
      }
      if (!req.is('multipart/form-data')) {
        failJson(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the files as multipart/form-data');
        return;
      }
      const organizationId =
        typeof req.query.organizationId === 'string' ? req.query.organizationId : '';
      const files = await receiveFiles(req);
      if (!files.length) {
        failJson(res, 400, 'VALIDATION', 'No file in the upload');
        return;
      }
      const results: UploadFileResult[] = [];
      for (const file of files) {
        if (!file.bytes) {
          results.push(refusedResult(file.filename, file.refused ?? 'The file could not be read'));
          continue;
        }
        // Each file its own unit of work: one refused file does not undo the others.
        const ctx = createRequestContext(services, caller, requestId, { req, res });
        const r = await importEInvoiceAndLoad(ctx, {
          organizationId,
          document: file.bytes,
          filename: file.filename,
          idempotencyKey: `upload-${randomUUID()}`,
        });
        results.push(toUploadResult(file.filename, r));
      }
      res.setHeader('cache-control', 'no-store');
      res.json({ results });
    } catch (err) {
      next(err);
    }
  };
}
