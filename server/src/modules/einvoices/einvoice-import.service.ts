/**
 * E-invoice intake: guard → format → official rules → mapping → the invoice (or credit note),
 * in the mutation's transaction. A fatal rule writes nothing; the same bytes again answer with
 * what they became the first time; a seller with no matching supplier leaves the document
 * waiting in NEEDS_SUPPLIER until createSupplierFromEInvoice.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Permission } from '../../auth/permissions.js';
import { DomainError, UserErrorCode, type UserErrorDetail } from '../../common/errors.js';
import type { ServiceContext } from '../../common/service-context.js';
import { authorizeOrganizationInput } from '../../common/validation.js';
import { actorOf, recordAudit } from '../audit/audit.service.js';
import { withIdempotency } from '../idempotency/idempotency.service.js';
import { Organization } from '../organizations/organization.entity.js';
import { User } from '../users/user.entity.js';
import {
  EInvoiceAttachment,
  EInvoiceDocument,
  EInvoiceFormat,
  EInvoiceState,
} from './einvoice.entity.js';
import { EINVOICE_LIMITS } from './einvoice-limits.js';
import { createInvoiceFromDocument } from './einvoice-invoice.js';
import { totalsProblems } from './mapping/einvoice-totals.js';
import type { ParsedEInvoice } from './mapping/parsed-einvoice.js';
import { parseUblInvoice } from './mapping/ubl-invoice.js';
import { matchSupplier, type SupplierMatchKind } from './supplier-matching.js';
import {
  EInvoiceFormatError,
  validateEInvoice,
  XmlRejectedError,
  type EInvoiceValidation,
} from './validation/validate-einvoice.js';
import type { RuleFinding } from './validation/schematron.js';
import { mapLineVatCodes, vatMappingsOf } from './vat-mapping.service.js';

export interface ImportEInvoiceData {
  organizationId: string;
  /** The XML as received: bytes (upload, CLI) or the GraphQL string. */
  document: string | Buffer;
  filename?: string | null;
  idempotencyKey: string;
}

export type ImportOutcome = 'CREATED' | 'DUPLICATE' | 'NEEDS_SUPPLIER' | 'REJECTED';

export interface ImportEInvoiceResult {
  outcome: ImportOutcome;
  documentId: string | null;
  invoiceId: string | null;
  matchedBy: SupplierMatchKind | null;
  /** Findings of the official rules; on REJECTED the fatal ones are among them. */
  findings: RuleFinding[];
  /** Set on REJECTED: the payload's userErrors (nothing was written). */
  userErrors?: UserErrorDetail[];
}

const XML_CODES: Record<XmlRejectedError['reason'], UserErrorCode> = {
  TOO_LARGE: UserErrorCode.DOCUMENT_TOO_LARGE,
  DOCTYPE: UserErrorCode.XML_FORBIDDEN,
  EMPTY: UserErrorCode.MALFORMED_DOCUMENT,
  ENCODING: UserErrorCode.MALFORMED_DOCUMENT,
  MALFORMED: UserErrorCode.MALFORMED_DOCUMENT,
};

/** The official rules over the document, their refusals as DomainErrors on `document`. */
function validate(document: string | Buffer): EInvoiceValidation {
  try {
    return validateEInvoice(document);
  } catch (err) {
    if (err instanceof XmlRejectedError)
      throw new DomainError(XML_CODES[err.reason], err.message, ['document']);
    if (err instanceof EInvoiceFormatError)
      throw new DomainError(UserErrorCode.UNSUPPORTED_FORMAT, err.message, ['document']);
    throw err;
  }
}

export async function importEInvoice(
  em: EntityManager,
  sctx: ServiceContext,
  input: ImportEInvoiceData,
): Promise<ImportEInvoiceResult> {
  const organizationId = authorizeOrganizationInput(
    sctx.caller,
    input.organizationId,
    Permission.WRITE,
  );
  const bytes =
    typeof input.document === 'string' ? Buffer.from(input.document, 'utf8') : input.document;
  const validation = validate(bytes);
  const fatal = validation.findings.filter((f) => f.flag === 'fatal');
  if (fatal.length) {
    const rules = [...new Set(fatal.map((f) => f.ruleId))];
    return {
      outcome: 'REJECTED',
      documentId: null,
      invoiceId: null,
      matchedBy: null,
      findings: validation.findings,
      userErrors: [
        {
          code: UserErrorCode.EINVOICE_INVALID,
          message: `The document breaks ${fatal.length} fatal rule${fatal.length > 1 ? 's' : ''} of ${validation.ruleSets.map((r) => r.name).join(' and ')}: ${rules.join(', ')}; nothing was imported`,
          field: ['document'],
        },
      ],
    };
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const filename = input.filename?.trim().slice(0, 255) || null;
  const { result } = await withIdempotency(
    em,
    {
      organizationId,
      key: input.idempotencyKey,
      operation: 'importEInvoice',
      input: { organizationId, sha256, filename },
    },
    () => importValidated(em, sctx, organizationId, { bytes, sha256, filename, validation }),
  );
  return result;
}

async function importValidated(
  em: EntityManager,
  sctx: ServiceContext,
  organizationId: string,
  doc: { bytes: Buffer; sha256: string; filename: string | null; validation: EInvoiceValidation },
): Promise<ImportEInvoiceResult> {
  const { validation } = doc;
  // Two concurrent imports of the same bytes: the second waits here and then finds the first.
  await em.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [
    `einvoice:${organizationId}:${doc.sha256}`,
  ]);
  const existing = await em.findOne(EInvoiceDocument, {
    organization: organizationId,
    sha256: doc.sha256,
  });
  if (existing) {
    return {
      outcome: existing.invoice ? 'DUPLICATE' : 'NEEDS_SUPPLIER',
      documentId: existing.id,
      invoiceId: existing.invoice?.id ?? null,
      matchedBy: null,
      findings: existing.findings,
    };
  }
  const parsed = parseUblInvoice(validation.xml);
  checkParsed(parsed);
  const { lines, warnings } = mapLineVatCodes(
    await vatMappingsOf(em, organizationId),
    parsed.lines,
  );
  const match = await matchSupplier(em, organizationId, parsed.supplier);
  const { attachments, ...rest } = parsed;
  const document = em.create(EInvoiceDocument, {
    organization: em.getReference(Organization, organizationId),
    sha256: doc.sha256,
    format: EInvoiceFormat[validation.format],
    filename: doc.filename,
    content: doc.bytes,
    byteSize: doc.bytes.length,
    state: match ? EInvoiceState.IMPORTED : EInvoiceState.NEEDS_SUPPLIER,
    ruleSets: validation.ruleSets,
    findings: validation.findings,
    parsed: { ...rest, lines },
    mappingWarnings: warnings,
    importedBy: sctx.caller.kind === 'user' ? em.getReference(User, sctx.caller.user.id) : null,
    importedVia:
      sctx.caller.kind === 'apiClient' ? `API token ${sctx.caller.apiClient.name}` : null,
  });
  attachments.forEach((a, position) =>
    em.create(EInvoiceAttachment, {
      organization: document.organization,
      document,
      position,
      filename: a.filename,
      mimeType: a.mimeCode ?? 'application/octet-stream',
      description: a.description,
      byteSize: a.size,
      content: a.content,
    }),
  );
  recordAudit(em, {
    organizationId,
    action: 'einvoice.imported',
    actor: actorOf(sctx.caller),
    entityType: 'EInvoiceDocument',
    entityId: document.id,
    requestId: sctx.requestId,
    details: {
      format: document.format,
      filename: doc.filename,
      sha256: doc.sha256,
      invoiceNumber: parsed.invoiceNumber,
      ruleSets: validation.ruleSets.map((r) => `${r.name} ${r.version}`),
      warnings: validation.findings.map((f) => f.ruleId),
      supplierMatchedBy: match?.by ?? null,
    },
  });
  await em.flush();
  const invoice = match
    ? await createInvoiceFromDocument(em, sctx, document, match.supplier)
    : null;
  return {
    outcome: invoice ? 'CREATED' : 'NEEDS_SUPPLIER',
    documentId: document.id,
    invoiceId: invoice?.id ?? null,
    matchedBy: match?.by ?? null,
    findings: validation.findings,
  };
}

/** What the rules do not bound but storage does: exact totals again, attachment count and sizes. */
function checkParsed(parsed: ParsedEInvoice): void {
  const problems: UserErrorDetail[] = totalsProblems(parsed).map((message) => ({
    code: UserErrorCode.EINVOICE_INVALID,
    message: `Totals do not add up: ${message}`,
    field: ['document'],
  }));
  if (parsed.attachments.length > EINVOICE_LIMITS.maxAttachments) {
    problems.push({
      code: UserErrorCode.DOCUMENT_TOO_LARGE,
      message: `The document embeds ${parsed.attachments.length} attachments; at most ${EINVOICE_LIMITS.maxAttachments} are accepted`,
      field: ['document'],
    });
  }
  for (const a of parsed.attachments) {
    if (a.size > EINVOICE_LIMITS.maxAttachmentBytes) {
      problems.push({
        code: UserErrorCode.DOCUMENT_TOO_LARGE,
        message: `Attachment ${a.filename ?? a.id ?? ''} is ${a.size} bytes; at most ${EINVOICE_LIMITS.maxAttachmentBytes} are accepted`,
        field: ['document'],
      });
    }
  }
  if (problems.length) throw new DomainError(problems);
}
