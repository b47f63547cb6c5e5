/**
 * Opaque global ids: base64url("Type:uuid"). Clients must not parse them; the server checks
 * the type, so an invoice id passed where a supplier id is expected is simply "not found".
 */
export type NodeTypeName =
  | 'Organization'
  | 'User'
  | 'ApiClient'
  | 'Supplier'
  | 'PurchaseInvoice'
  | 'InvoiceLine'
  | 'Payment'
  | 'ApprovalProcess'
  | 'ApprovalStage'
  | 'Transfer'
  | 'TransferBatch'
  | 'TransferReport'
  | 'AuditEvent'
  | 'AccountingPeriod'
  | 'LedgerEntry'
  | 'BankAccount'
  | 'BankStatement'
  | 'BankStatementEntry'
  | 'CreditOffset'
  | 'AccountingConnection'
  | 'AccountingDriftReport'
  | 'EInvoiceDocument'
  | 'EInvoiceAttachment'
  | 'VatMapping';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function toGlobalId(type: NodeTypeName, id: string): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

export function parseGlobalId(globalId: string): { type: NodeTypeName; id: string } | null {
  if (
    typeof globalId !== 'string' ||
    globalId.length > 200 ||
    !/^[A-Za-z0-9_-]+={0,2}$/.test(globalId)
  ) {
    return null;
  }
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const sep = decoded.indexOf(':');
  if (sep <= 0) return null;
  const id = decoded.slice(sep + 1);
  if (!UUID.test(id)) return null;
  return { type: decoded.slice(0, sep) as NodeTypeName, id };
}

/** The uuid behind a global id of the expected type, or null (malformed, or another type). */
export function fromGlobalId(globalId: string, type: NodeTypeName): string | null {
  const parsed = parseGlobalId(globalId);
  return parsed && parsed.type === type ? parsed.id : null;
}
