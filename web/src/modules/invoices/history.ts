import type { AuditEventFieldsFragment } from '@/gql/graphql';
import { formatDate } from '@/lib/format';
import { humanizeCode, TRANSFER_KIND_LABELS } from '@/modules/transfers/labels';

type Details = Record<string, unknown>;

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

function errorsText(details: Details): string {
  const errors = Array.isArray(details.errors)
    ? (details.errors as { code?: string; message?: string }[])
    : [];
  return errors.map((e) => e.message ?? humanizeCode(e.code ?? '')).join('; ');
}

/** A sentence for an audit event; unknown actions fall back to their name. */
export function describeEvent(event: AuditEventFieldsFragment): {
  title: string;
  detail?: string;
  tone: 'neutral' | 'good' | 'bad' | 'info';
} {
  const d = (event.details ?? {}) as Details;
  switch (event.action) {
    case 'invoice.created':
      return { title: 'Invoice created', tone: 'neutral' };
    case 'invoice.posted':
      return {
        title: `Posted as document ${str(d.documentNumber)}`,
        detail: d.fiscalYear ? `Fiscal year ${str(d.fiscalYear)}` : undefined,
        tone: 'neutral',
      };
    case 'invoice.posting_changed':
      return { title: 'Posting changed', tone: 'neutral' };
    case 'invoice.sent_to_circulation':
      return {
        title: `Sent to circulation${d.approvalProcessName ? ` (${str(d.approvalProcessName)})` : ''}`,
        detail: d.stageName ? `First stage: ${str(d.stageName)}` : undefined,
        tone: 'info',
      };
    case 'invoice.stage_saved':
      return {
        title: `Stage “${str(d.stageName)}” saved`,
        detail: str(d.comment) || undefined,
        tone: 'good',
      };
    case 'invoice.approved':
      return { title: 'Approved', tone: 'good' };
    case 'invoice.rejected':
      return {
        title: d.returnToStageName
          ? `Sent back from “${str(d.stageName)}” to “${str(d.returnToStageName)}”`
          : `Rejected at “${str(d.stageName)}”`,
        detail: str(d.reason) || undefined,
        tone: 'bad',
      };
    case 'invoice.removed':
      return {
        title: 'Removed',
        detail:
          d.alsoRemoveFromAccounting === true
            ? 'Also removed from accounting: a reversal is posted'
            : d.keptInLedger === true
              ? 'Kept in accounting: the ledger entry stays'
              : undefined,
        tone: 'bad',
      };
    case 'payment.recorded':
      return { title: 'Payment recorded', detail: str(d.amount) || undefined, tone: 'neutral' };
    case 'invoice.offset':
      return {
        title:
          d.role === 'creditNote' ? 'Credit set against an invoice' : 'Credit note set against it',
        detail: d.amount ? `${str(d.amount)}, open ${str(d.openAmount)}` : undefined,
        tone: 'neutral',
      };
    case 'transfer.queued':
      return {
        title: `${TRANSFER_KIND_LABELS[d.kind as keyof typeof TRANSFER_KIND_LABELS] ?? 'Transfer'} queued for accounting`,
        detail: d.trigger === 'AUTOMATIC' ? 'Automatic transfer' : undefined,
        tone: 'info',
      };
    case 'transfer.sent':
      return {
        title: d.reconcileFirst
          ? 'Looking the entry up in the ledger, then sending'
          : 'Sending to the ledger',
        detail: d.attempt ? `Attempt ${str(d.attempt)}` : undefined,
        tone: 'info',
      };
    case 'transfer.reconciled':
      return {
        title: `Found in the ledger${d.period ? `, period ${str(d.period)}` : ''}`,
        detail: 'The earlier attempt had reached the ledger; nothing was sent twice.',
        tone: 'good',
      };
    case 'transfer.automatic_not_started': {
      const reasons = Array.isArray(d.reasons) ? (d.reasons as { message?: string }[]) : [];
      return {
        title: 'Automatic transfer not started',
        detail: reasons.map((r) => r.message).join('; ') || undefined,
        tone: 'bad',
      };
    }
    case 'transfer.retrying':
      return {
        title: 'Ledger did not answer; retrying',
        detail: errorsText(d) || undefined,
        tone: 'info',
      };
    case 'transfer.in_doubt':
      return {
        title: 'Outcome unknown; the ledger is checked before anything is sent again',
        detail: str(d.reason) || undefined,
        tone: 'info',
      };
    case 'transfer.transferred': {
      const shifted = d.postingDate && d.originalDate && d.postingDate !== d.originalDate;
      return {
        title: `Transferred to the ledger${d.period ? `, period ${str(d.period)}` : ''}`,
        detail: shifted
          ? `Posting date ${formatDate(str(d.postingDate))} (shifted from ${formatDate(str(d.originalDate))})`
          : d.postingDate
            ? `Posting date ${formatDate(str(d.postingDate))}`
            : undefined,
        tone: 'good',
      };
    }
    case 'transfer.failed':
      return { title: 'Transfer failed', detail: errorsText(d) || undefined, tone: 'bad' };
    case 'transfer.cancelled':
      return { title: 'Transfer cancelled', tone: 'neutral' };
    default: {
      const [subject, verb = ''] = event.action.split('.');
      return { title: humanizeCode(`${subject}_${verb}`), tone: 'neutral' };
    }
  }
}
