/**
 * The invoice rules that several modules share, each in one place: the sign of a document's
 * amounts, which tab an invoice is in, and whether it may be transferred. The SQL and the JS forms must say the same thing; the
 * tab tests check both against the same fixtures.
 */
import { registerEnumType } from 'type-graphql';
import { UserErrorCode, type UserErrorDetail } from '../../common/errors.js';
import { Decimal } from '../../common/money.js';
import { isLiveTransferStatus } from '../transfers/transfer.enums.js';
import { InvoiceStatus, type PurchaseInvoice } from './invoice.entity.js';
import { DocumentKind } from './invoice.enums.js';

// ---------------------------------------------------------------------------------------------
// The sign rule
// ---------------------------------------------------------------------------------------------

/**
 * +1 for an invoice, -1 for a credit note: the sign of its totals, of its payments (a refund of a
 * credit note is a negative payment) and of its open amount. Everything that books or nets a
 * document multiplies by this instead of asking the kind again.
 */
export function documentSign(kind: DocumentKind): 1 | -1 {
  return kind === DocumentKind.CREDIT_NOTE ? -1 : 1;
}

const KIND_LABEL: Record<DocumentKind, string> = {
  [DocumentKind.INVOICE]: 'an invoice',
  [DocumentKind.CREDIT_NOTE]: 'a credit note',
};

/**
 * Why these totals do not fit the document kind. An invoice's gross is above zero and its net and
 * VAT are not negative; a credit note's are the same with a minus sign (stored negative, never as
 * a positive amount with a flag). Posting lines may carry either sign — a discount line on an
 * invoice, a re-charged fee on a credit note — as long as they add up to the totals, which then
 * decide the sign.
 */
export function totalsSignProblems(
  kind: DocumentKind,
  totals: {
    netAmount: Decimal.Value | null;
    vatAmount: Decimal.Value | null;
    grossAmount: Decimal.Value | null;
  },
): UserErrorDetail[] {
  const sign = documentSign(kind);
  const problems: UserErrorDetail[] = [];
  // An amount that did not parse (null) has its own problem already.
  const check = (name: keyof typeof totals, label: string, zeroAllowed: boolean) => {
    const value = totals[name];
    if (value == null) return;
    const signed = new Decimal(value).times(sign);
    if (signed.lt(0) || (!zeroAllowed && signed.isZero())) {
      const expected =
        sign > 0
          ? zeroAllowed
            ? 'zero or more'
            : 'greater than zero'
          : zeroAllowed
            ? 'zero or less (negative)'
            : 'less than zero (negative)';
      const hint =
        sign > 0 && signed.lt(0) ? '; a negative document is a credit note (kind CREDIT_NOTE)' : '';
      problems.push({
        code: UserErrorCode.VALIDATION,
        message: `${label} of ${KIND_LABEL[kind]} must be ${expected}${hint}`,
        field: [name],
      });
    }
  };
  check('netAmount', 'The net amount', true);
  check('vatAmount', 'The VAT amount', true);
  check('grossAmount', 'The gross amount', false);
  return problems;
}

export enum InvoiceTab {
  IN_PROCESS = 'IN_PROCESS',
  TRANSFERABLE = 'TRANSFERABLE',
  TRANSFERRED = 'TRANSFERRED',
  ALL = 'ALL',
}
registerEnumType(InvoiceTab, {
  name: 'InvoiceTab',
  valuesConfig: {
    IN_PROCESS: { description: 'In approval circulation.' },
    TRANSFERABLE: {
      description:
        '"To be transferred": approved or at a transfer stage, posted, numbered, and not in the ledger in its current version (failed transfers included).',
    },
    TRANSFERRED: { description: 'In the ledger, up to date.' },
    ALL: {
      description: 'Every invoice that is not removed (filter by status REMOVED to see those).',
    },
  },
});

/**
 * SQL conditions per tab over `purchase_invoice` aliased `i`. TRANSFERABLE needs the current
 * stage's flag, read with a subquery so callers need no join.
 */
export const TAB_SQL: Record<InvoiceTab, string> = {
  [InvoiceTab.IN_PROCESS]: `i.removed_at is null and i.status = 'IN_CIRCULATION'`,
  [InvoiceTab.TRANSFERABLE]: `i.removed_at is null and i.posted and i.document_number is not null
    and (i.status = 'APPROVED' or (i.status = 'IN_CIRCULATION' and exists (
      select 1 from approval_stage s where s.id = i.current_stage_id and s.transfer_from_this_step)))
    and (i.ledger_version is null or i.ledger_version < i.posting_version)`,
  [InvoiceTab.TRANSFERRED]: `i.removed_at is null and i.ledger_version is not null and i.ledger_version = i.posting_version`,
  [InvoiceTab.ALL]: `true`,
};

export function isInLedgerUpToDate(
  invoice: Pick<PurchaseInvoice, 'ledgerVersion' | 'postingVersion'>,
): boolean {
  return invoice.ledgerVersion != null && invoice.ledgerVersion === invoice.postingVersion;
}

export function isLedgerOutOfDate(
  invoice: Pick<PurchaseInvoice, 'ledgerVersion' | 'postingVersion'>,
): boolean {
  return invoice.ledgerVersion != null && invoice.ledgerVersion < invoice.postingVersion;
}

/**
 * Why an invoice cannot be transferred now (empty when it can), caller's rights aside.
 * Eligible: posted, numbered, APPROVED or at a stage flagged transferFromThisStep, this version
 * not already in the ledger, no transfer of it in flight.
 */
export function invoiceTransferBlockers(
  invoice: Pick<
    PurchaseInvoice,
    | 'status'
    | 'posted'
    | 'documentNumber'
    | 'ledgerVersion'
    | 'postingVersion'
    | 'transferStatus'
    | 'removedAt'
  >,
  currentStageTransfers: boolean,
  field: string[] = [],
): UserErrorDetail[] {
  const blockers: UserErrorDetail[] = [];
  if (invoice.removedAt || invoice.status === InvoiceStatus.REMOVED) {
    return [{ code: UserErrorCode.NOT_FOUND, message: 'The invoice has been removed', field }];
  }
  if (isLiveTransferStatus(invoice.transferStatus)) {
    return [
      {
        code: UserErrorCode.TRANSFER_IN_PROGRESS,
        message: 'A transfer of this invoice is already in progress',
        field,
      },
    ];
  }
  if (isInLedgerUpToDate(invoice)) {
    return [
      {
        code: UserErrorCode.ALREADY_TRANSFERRED,
        message: 'This version of the invoice is already in the ledger',
        field,
      },
    ];
  }
  if (!invoice.posted) {
    blockers.push({
      code: UserErrorCode.NOT_POSTED,
      message: 'The invoice is not posted: complete its posting lines first',
      field,
    });
  }
  if (invoice.documentNumber == null) {
    blockers.push({
      code: UserErrorCode.NO_DOCUMENT_NUMBER,
      message: 'The invoice has no document number yet',
      field,
    });
  }
  const approvedEnough =
    invoice.status === InvoiceStatus.APPROVED ||
    (invoice.status === InvoiceStatus.IN_CIRCULATION && currentStageTransfers);
  if (!approvedEnough) {
    blockers.push({
      code: UserErrorCode.NOT_APPROVED,
      message: 'The invoice is neither approved nor at a stage it may be transferred from',
      field,
    });
  }
  return blockers;
}
