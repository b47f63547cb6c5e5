/**
 * A sample camt.053 statement for an organization's bank account, paying some of its open
 * invoices the ways banks do: by payment reference, by IBAN and amount, a partial payment, a
 * bank fee nobody invoiced, money in. For the demo (`pnpm ledgerlink bank sample --org aurora`):
 * importing it shows matches, the queue and a balanced statement.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Decimal, formatMoney } from '../../common/money.js';
import { Organization } from '../organizations/organization.entity.js';
import { BankAccount } from './bank-statement.entity.js';
import { buildCamt, type CamtEntrySpec } from './camt.writer.js';

type OpenRow = {
  invoice_number: string;
  payment_reference: string | null;
  open: string;
  supplier_name: string;
  iban: string | null;
};

export async function sampleStatement(
  em: EntityManager,
  slug: string,
  today: string,
): Promise<string> {
  const org = await em.findOne(Organization, { slug });
  if (!org) throw new Error(`no organization with slug "${slug}"`);
  const account = await em.findOne(
    BankAccount,
    { organization: org },
    { orderBy: { createdAt: 'asc' } },
  );
  if (!account) throw new Error(`${slug} has no bank account`);
  const open = await em.execute<OpenRow[]>(
    `select i.invoice_number, i.payment_reference, s.name as supplier_name, s.iban,
       (i.gross_amount - coalesce((select sum(p.amount) from payment p where p.organization_id = i.organization_id and p.invoice_id = i.id and p.removed_at is null), 0))::text as open
     from purchase_invoice i join supplier s on s.id = i.supplier_id and s.organization_id = i.organization_id
     where i.organization_id = ? and i.currency = ? and i.posted and i.document_number is not null
       and i.removed_at is null and i.status not in ('REJECTED', 'REMOVED')
     order by i.due_date, i.id`,
    [org.id, account.currency],
  );
  const payable = open.filter((r) => new Decimal(r.open).gt(0));
  const withRef = payable.filter((r) => r.payment_reference);
  const byIban = payable.filter(
    (r) =>
      !r.payment_reference &&
      r.iban &&
      payable.filter((o) => o.iban === r.iban && o.open === r.open).length === 1,
  );
  const stamp = today.replaceAll('-', '');
  let n = 0;
  const ref = () => `${stamp}SAMPLE${String(++n).padStart(4, '0')}`;
  const entries: CamtEntrySpec[] = [
    ...withRef.slice(0, 4).map((r) => ({
      ref: ref(),
      amount: formatMoney(r.open),
      date: today,
      tx: [
        {
          amount: formatMoney(r.open),
          reference: r.payment_reference!,
          name: r.supplier_name,
          iban: r.iban ?? undefined,
        },
      ],
    })),
    ...byIban.slice(0, 1).map((r) => ({
      ref: ref(),
      amount: formatMoney(r.open),
      date: today,
      tx: [{ amount: formatMoney(r.open), name: r.supplier_name, iban: r.iban!, text: 'Payment' }],
    })),
    ...withRef.slice(4, 5).map((r) => {
      const half = new Decimal(r.open).dividedBy(2).toDecimalPlaces(2, Decimal.ROUND_DOWN);
      return {
        ref: ref(),
        amount: formatMoney(half),
        date: today,
        tx: [
          {
            amount: formatMoney(half),
            reference: r.payment_reference!,
            name: r.supplier_name,
            text: 'First instalment',
          },
        ],
      };
    }),
    { ref: ref(), amount: '4.90', date: today, tx: [{ name: 'Bank', text: 'Service fee' }] },
    {
      ref: ref(),
      amount: '250.00',
      dir: 'CRDT',
      date: today,
      tx: [{ name: 'Customer Oy', text: 'Refund' }],
    },
  ];
  const opening = new Decimal('50000.00');
  const total = entries.reduce(
    (a, e) => (e.dir === 'CRDT' ? a.plus(e.amount) : a.minus(e.amount)),
    new Decimal(0),
  );
  return buildCamt({
    statementId: `${stamp}-${account.identifier}`,
    messageId: `SAMPLE-${stamp}`,
    iban: account.identifier,
    currency: account.currency,
    opening: formatMoney(opening),
    closing: formatMoney(opening.plus(total)),
    from: today,
    to: today,
    entries,
  });
}
