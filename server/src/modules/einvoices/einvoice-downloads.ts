/**
 * GET the original XML of an imported e-invoice and its embedded attachments (the PDF beside the
 * posting), with the session cookie or an API token. Another organization's document, a missing
 * one and a malformed id are the same 404.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { can, organizationIdsOf } from '../../auth/access.js';
import { authenticate } from '../../auth/authenticate.js';
import { Permission } from '../../auth/permissions.js';
import { fromGlobalId, toGlobalId } from '../../common/ids.js';
import type { AppServices } from '../../context.js';
import { EInvoiceAttachment, EInvoiceDocument } from './einvoice.entity.js';

export const EINVOICE_XML_PATH = '/api/einvoices/documents/:id/xml';
export const EINVOICE_ATTACHMENT_PATH = '/api/einvoices/attachments/:id';

export const documentXmlUrl = (id: string) =>
  EINVOICE_XML_PATH.replace(':id', toGlobalId('EInvoiceDocument', id));
export const attachmentUrl = (id: string) =>
  EINVOICE_ATTACHMENT_PATH.replace(':id', toGlobalId('EInvoiceAttachment', id));

export function failJson(res: Response, status: number, code: string, message: string): void {
  res
    .status(status)
    .json({ errors: [{ message, extensions: { code, requestId: res.locals.requestId } }] });
}

/** A filename safe inside a quoted content-disposition header. */
function safeName(name: string): string {
  return name.replace(/[^\w.\- ]+/g, '_').slice(0, 150) || 'download';
}

function downloadHandler(
  services: AppServices,
  load: (
    em: ReturnType<AppServices['orm']['em']['fork']>,
    id: string,
    organizations: string[],
  ) => Promise<{ bytes: Buffer; type: string; filename: string } | null>,
  type: 'EInvoiceDocument' | 'EInvoiceAttachment',
): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const em = services.orm.em.fork();
      const caller = await authenticate(em, {
        authorization: req.header('authorization'),
        cookie: req.header('cookie'),
      });
      if (caller.kind === 'anonymous') {
        failJson(
          res,
          401,
          'UNAUTHENTICATED',
          'Sign in or send an API token (Authorization: Bearer ...)',
        );
        return;
      }
      const id = fromGlobalId(String(req.params.id), type);
      const organizations = organizationIdsOf(caller).filter((org) =>
        can(caller, org, Permission.READ),
      );
      const file = id && organizations.length ? await load(em, id, organizations) : null;
      if (!file) {
        failJson(res, 404, 'NOT_FOUND', 'Not found');
        return;
      }
      res.setHeader('content-type', file.type);
      // inline: the SPA shows the PDF in its viewer; the filename serves "save as".
      res.setHeader('content-disposition', `inline; filename="${safeName(file.filename)}"`);
      res.setHeader('cache-control', 'private, no-store');
      res.setHeader('x-content-type-options', 'nosniff');
      res.send(file.bytes);
    } catch (err) {
      next(err);
    }
  };
}

/**
 * Only PDFs and images are served as what they claim to be, and only when their bytes agree (an
 * official example declares application/pdf for plain text); anything else is a download.
 */
const INLINE_TYPES: Record<string, Buffer> = {
  'application/pdf': Buffer.from('%PDF-'),
  'image/png': Buffer.from([0x89, 0x50, 0x4e, 0x47]),
  'image/jpeg': Buffer.from([0xff, 0xd8, 0xff]),
};

function servedType(declared: string, bytes: Buffer): string {
  const magic = INLINE_TYPES[declared];
  return magic && bytes.subarray(0, magic.length).equals(magic)
    ? declared
    : 'application/octet-stream';
}

export function einvoiceXmlHandler(services: AppServices): RequestHandler {
  return downloadHandler(
    services,
    async (em, id, organizations) => {
      const d = await em.findOne(
        EInvoiceDocument,
        { id, organization: { $in: organizations } },
        { populate: ['content'] },
      );
      return d
        ? {
            bytes: d.content,
            type: 'application/xml',
            filename: d.filename ?? `${d.parsed.invoiceNumber}.xml`,
          }
        : null;
    },
    'EInvoiceDocument',
  );
}

export function einvoiceAttachmentHandler(services: AppServices): RequestHandler {
  return downloadHandler(
    services,
    async (em, id, organizations) => {
      const a = await em.findOne(
        EInvoiceAttachment,
        { id, organization: { $in: organizations } },
        { populate: ['content'] },
      );
      if (!a) return null;
      return {
        bytes: a.content,
        type: servedType(a.mimeType.trim().toLowerCase(), a.content),
        filename: a.filename ?? `attachment-${a.position + 1}`,
      };
    },
    'EInvoiceAttachment',
  );
}
