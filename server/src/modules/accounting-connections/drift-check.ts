/**
 * The drift check: what Ledgerlink believes is in the connected system, compared by external
 * reference with what the system holds. It only reports; nothing is changed on either side.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { money } from '../../common/money.js';
import type { PeriodInfo } from '../../accounting/accounting-system.js';
import { TransferKind, TransferStatus } from '../transfers/transfer.enums.js';
import { Organization } from '../organizations/organization.entity.js';
import { AccountingDriftReport, type DriftItem } from './accounting-connection.entity.js';
import { AccountingSystemKind, DriftKind } from './accounting-connection.enums.js';
import type { ExternalAccounting, ExternalDocumentInfo } from './external-adapter.js';

const LOOKUP_CHUNK = 100;

interface TransferRow {
  id: string;
  document_id: string;
  status: TransferStatus;
  kind: TransferKind;
  posting_date: string | null;
  amount: string | null;
}

/** One document Ledgerlink believes is in the system, from its newest transferred transfer. */
export interface ExpectedDocument {
  transferId: string;
  externalReference: string;
  amount: string | null;
  postingDate: string | null;
}

export interface DriftInput {
  expected: ExpectedDocument[];
  /** References of transfers that failed or were cancelled: nothing should be there for them. */
  notExpected: { transferId: string; externalReference: string }[];
  found: Map<string, ExternalDocumentInfo[]>;
  periods: PeriodInfo[];
}

function periodNameOf(date: string | null, periods: PeriodInfo[]): string | null {
  if (!date) return null;
  return periods.find((p) => p.startDate <= date && date <= p.endDate)?.name ?? null;
}

/** The differences between belief and the system (pure: the tests feed it directly). */
export function compareDocuments(input: DriftInput): DriftItem[] {
  const items: DriftItem[] = [];
  for (const doc of input.expected) {
    const there = input.found.get(doc.externalReference) ?? [];
    const base = { externalReference: doc.externalReference, transferId: doc.transferId };
    if (there.length === 0) {
      items.push({
        ...base,
        kind: DriftKind.MISSING_THERE,
        expected: doc.amount,
        actual: null,
        message:
          'Transferred, but the accounting system has no document with this reference (removed by hand?)',
      });
      continue;
    }
    if (there.length > 1) {
      items.push({
        ...base,
        kind: DriftKind.DUPLICATE_THERE,
        expected: '1',
        actual: String(there.length),
        message: `The accounting system holds ${there.length} documents with this reference: ${there.map((d) => d.transactionId).join(', ')}`,
      });
    }
    const first = there[0];
    if (doc.amount !== null && !money(first.total).abs().eq(money(doc.amount).abs())) {
      items.push({
        ...base,
        kind: DriftKind.AMOUNT_DIFFERS,
        expected: doc.amount,
        actual: first.total,
        message: `Amount ${first.total} there, ${doc.amount} in Ledgerlink`,
      });
    }
    const expectedPeriod = periodNameOf(doc.postingDate, input.periods);
    if (expectedPeriod && first.periodName && expectedPeriod !== first.periodName) {
      items.push({
        ...base,
        kind: DriftKind.PERIOD_DIFFERS,
        expected: expectedPeriod,
        actual: first.periodName,
        message: `Booked in period ${first.periodName} there, ${expectedPeriod} in Ledgerlink`,
      });
    }
  }
  for (const doc of input.notExpected) {
    const there = input.found.get(doc.externalReference) ?? [];
    if (!there.length) continue;
    items.push({
      kind: DriftKind.UNKNOWN_HERE,
      externalReference: doc.externalReference,
      transferId: doc.transferId,
      expected: null,
      actual: there.map((d) => d.transactionId).join(', '),
      message:
        'The accounting system holds this document, but Ledgerlink recorded the transfer as not done',
    });
  }
  return items;
}

/** Per document, the newest transferred transfer (unless it was a reversal) and the failed ones. */
async function beliefs(
  em: EntityManager,
  organizationId: string,
  since: Date,
  referenceOf: (transferId: string) => string,
): Promise<Pick<DriftInput, 'expected' | 'notExpected'>> {
  const rows = await em.getConnection().execute<TransferRow[]>(
    `select t.id, coalesce(t.invoice_id, t.payment_id) as document_id, t.status, t.kind,
            to_char(t.posting_date, 'YYYY-MM-DD') as posting_date,
            coalesce(i.gross_amount, p.amount)::text as amount
       from transfer t
       left join purchase_invoice i on i.id = t.invoice_id
       left join payment p on p.id = t.payment_id
      where t.organization_id = ? and t.status in (?, ?, ?) and t.created_at >= ?
      order by t.created_at desc, t.id desc`,
    [
      organizationId,
      TransferStatus.TRANSFERRED,
      TransferStatus.FAILED,
      TransferStatus.CANCELLED,
      since,
    ],
  );
  const expected: ExpectedDocument[] = [];
  const notExpected: DriftInput['notExpected'] = [];
  const settled = new Set<string>();
  for (const row of rows) {
    if (row.status !== TransferStatus.TRANSFERRED) {
      if (row.kind !== TransferKind.REVERSAL)
        notExpected.push({ transferId: row.id, externalReference: referenceOf(row.id) });
      continue;
    }
    if (settled.has(row.document_id)) continue;
    settled.add(row.document_id);
    if (row.kind === TransferKind.REVERSAL) continue;
    expected.push({
      transferId: row.id,
      externalReference: referenceOf(row.id),
      amount: row.amount,
      postingDate: row.posting_date,
    });
  }
  return { expected, notExpected };
}

/**
 * Runs the check for one organization and stores its report. Only transfers made `since` the
 * connection count: earlier ones went to the built-in ledger (no switch happens while any is live).
 */
export async function runDriftCheck(
  em: EntityManager,
  organizationId: string,
  since: Date,
  system: AccountingSystemKind,
  adapter: ExternalAccounting,
  referenceOf: (transferId: string) => string,
): Promise<AccountingDriftReport> {
  const { expected, notExpected } = await beliefs(em, organizationId, since, referenceOf);
  const references = [...new Set([...expected, ...notExpected].map((d) => d.externalReference))];
  const found = new Map<string, ExternalDocumentInfo[]>();
  for (let i = 0; i < references.length; i += LOOKUP_CHUNK) {
    const chunk = await adapter.listDocumentsByExternalReference(
      references.slice(i, i + LOOKUP_CHUNK),
    );
    for (const [ref, docs] of chunk) found.set(ref, docs);
  }
  const periods = await adapter.listPeriods(organizationId);
  const items = compareDocuments({ expected, notExpected, found, periods });
  const report = em.create(AccountingDriftReport, {
    organization: em.getReference(Organization, organizationId),
    system,
    checked: references.length,
    items,
  });
  await em.flush();
  return report;
}
