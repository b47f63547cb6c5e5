/**
 * The claim: QUEUED/RETRYING (when due) and IN_DOUBT transfers become SENDING under one claim
 * token, with everything needed to send them read in the same transaction. Only the holder of
 * the token may record an outcome (transfer.record.ts); the heartbeat keeps the claim fresh so
 * the sweeper does not take it over.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ClosedPeriodPolicy, ExportMode } from './transfer.enums.js';
import { TransferStatus } from './transfer.enums.js';
import { insertAuditRows, transferEvent } from './transfer.history.js';
import { notifyTransfersChanged } from './transfer.jobs.js';
import { loadTransferSettingsOf } from './transfer-settings.service.js';
import { exec, requesterOfRow, type ClaimedRow } from './transfer.sql.js';

/** A claimed transfer: its row, and its organization's settings for sending. */
export interface ClaimedTransfer extends ClaimedRow {
  settings: { exportMode: ExportMode; closedPeriodPolicy: ClosedPeriodPolicy };
}

/** QUEUED/RETRYING (due) and IN_DOUBT → SENDING, with everything needed to send. */
export async function claimTransfers(
  em: EntityManager,
  transferIds: string[],
  claimToken: string,
): Promise<ClaimedTransfer[]> {
  const rows = await exec<ClaimedRow>(
    em,
    `with c as (
       select id, status from transfer
        where id in (select (jsonb_array_elements_text(?::jsonb))::uuid)
          and (status = 'IN_DOUBT' or (status in ('QUEUED', 'RETRYING') and (next_attempt_at is null or next_attempt_at <= now())))
        for update skip locked),
     u as (
       update transfer t set status = 'SENDING', claim_token = ?::uuid, heartbeat_at = now(), updated_at = now(),
              attempts = t.attempts + case when c.status = 'IN_DOUBT' then 0 else 1 end
         from c where t.id = c.id
       returning t.*, c.status as previous_status)
     select u.id, u.organization_id, u.kind, u.document_type, coalesce(u.invoice_id, p.invoice_id) as invoice_id,
            u.payment_id, u.document_version, u.reverses_entry_id, u.batch_id, u.attempts, u.trigger,
            u.requested_by_user_id, u.requested_by_api_client_id, u.previous_status,
            case when u.previous_status = 'IN_DOUBT' then coalesce((u.errors->0->>'lookupFailures')::int, 0) else 0 end as lookup_failures,
            s.account_name as supplier_account_name, s.name as supplier_name, i.invoice_number, i.kind as document_kind,
            to_char(i.bill_date, 'YYYY-MM-DD') as bill_date, i.currency, i.gross_amount::text as gross_amount,
            p.amount::text as payment_amount, to_char(p.payment_date, 'YYYY-MM-DD') as payment_date,
            p.document_number as payment_document_number, p.fiscal_year as payment_fiscal_year,
            case when u.document_type = 'INVOICE' and u.kind <> 'REVERSAL' then (
              select coalesce(json_agg(json_build_object('accountCode', l.account_code, 'costUnitCode', l.cost_unit_code,
                       'vatCode', l.vat_code, 'netAmount', l.net_amount::text, 'vatAmount', l.vat_amount::text,
                       'description', l.description) order by l.position), '[]')
                from invoice_line l where l.organization_id = u.organization_id and l.invoice_id = u.invoice_id) end as lines,
            case when u.previous_status = 'IN_DOUBT' and u.kind = 'POST' then (
              select coalesce(json_agg(x.id), '[]') from transfer x
               where x.organization_id = u.organization_id
                 and (case when u.document_type = 'INVOICE' then x.invoice_id = u.invoice_id else x.payment_id = u.payment_id end)
            ) end as document_transfer_ids
       from u
       left join payment p on p.id = u.payment_id
       join purchase_invoice i on i.id = coalesce(u.invoice_id, p.invoice_id)
       join supplier s on s.id = i.supplier_id`,
    [JSON.stringify(transferIds), claimToken],
  );
  if (!rows.length) return [];
  const settings = await loadTransferSettingsOf(
    em,
    rows.map((r) => r.organization_id),
  );
  // The "sent" step of the history: handed to the accounting system (after a ledger check
  // when it was in doubt). Written with the claim, so a worker that dies mid-call leaves it.
  await insertAuditRows(
    em,
    rows.map((r) =>
      transferEvent({
        organizationId: r.organization_id,
        transferId: r.id,
        invoiceId: r.invoice_id,
        requester: requesterOfRow(r),
        action: 'transfer.sent',
        details: {
          transferId: r.id,
          kind: r.kind,
          attempt: r.attempts,
          paymentId: r.payment_id,
          reconcileFirst: r.previous_status === TransferStatus.IN_DOUBT,
        },
      }),
    ),
  );
  await notifyTransfersChanged(
    em,
    rows.map((r) => ({
      organizationId: r.organization_id,
      transferId: r.id,
      batchId: r.batch_id,
    })),
  );
  return rows.map((r) => {
    const s = settings.get(r.organization_id)!;
    return {
      ...r,
      settings: { exportMode: s.exportMode, closedPeriodPolicy: s.closedPeriodPolicy },
    };
  });
}

/** Keeps a claim fresh. Rows no longer SENDING under this token are not touched. */
export async function heartbeat(em: EntityManager, ids: string[], claimToken: string) {
  await em.getConnection().execute(
    // SKIP LOCKED: a row being recorded (or swept) right now needs no heartbeat, and waiting
    // for it in no particular order could deadlock with that transaction.
    `with mine as (
       select id from transfer
        where id in (select (jsonb_array_elements_text(?::jsonb))::uuid) and status = 'SENDING' and claim_token = ?::uuid
        for no key update skip locked)
     update transfer t set heartbeat_at = now() from mine where t.id = mine.id`,
    [JSON.stringify(ids), claimToken],
  );
}
