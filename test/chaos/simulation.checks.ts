/** The simulation's verdict: where each document must have ended, and what else must have happened. */
import { checkInvariants, explainViolations, formatViolations } from '../helpers/invariants.js';
import { type Sql } from '../helpers/seed.js';
import { expectedProblems, type Planned } from './simulation.plan.js';

/**
 * Where each document must have ended, from its final data: a defective posting fails with every
 * reason; a good one is in the ledger in its current version, unless it failed for a reason its
 * situation explains (transient exhaustion, a blocked period, a duplicate reference).
 */
export async function expectedOutcomes(
  sql: Sql,
  planned: Planned[],
  removed: Map<string, { alsoRemoveFromAccounting: boolean; inLedger: boolean }>,
  ctx: { closedMonth: string; lockB: string; orgB: string },
): Promise<string[]> {
  const rows = await sql<{
    id: string;
    organization_id: string;
    bill_date: string;
    removed: boolean;
    ledger_entry_id: string | null;
    up_to_date: boolean;
    ghost: boolean;
    lines: { accountCode: string; costUnitCode: string | null; vatCode: string }[];
    transfers: number;
    last_status: string | null;
    last_kind: string | null;
    last_codes: string[] | null;
    live_entry: boolean;
  }>(
    `select i.id, i.organization_id, to_char(i.bill_date, 'YYYY-MM-DD') as bill_date, i.removed_at is not null as removed,
            i.ledger_entry_id, coalesce(i.ledger_version = i.posting_version, false) as up_to_date, s.account_name = 'SUP-GHOST' as ghost,
            (select json_agg(json_build_object('accountCode', l.account_code, 'costUnitCode', l.cost_unit_code, 'vatCode', l.vat_code))
               from invoice_line l where l.invoice_id = i.id) as lines,
            (select count(*)::int from transfer t where t.invoice_id = i.id) as transfers,
            lt.status as last_status, lt.kind as last_kind,
            (select array_agg(distinct e->>'code') from jsonb_array_elements(lt.errors) e) as last_codes,
            exists (select 1 from ledger.entry e where e.id = i.ledger_entry_id and e.reversed_by_entry_id is null) as live_entry
       from purchase_invoice i join supplier s on s.id = i.supplier_id
       left join transfer lt on lt.id = i.last_transfer_id
      where i.id = any($1)`,
    [planned.map((p) => p.id)],
  );
  const byId = new Map(planned.map((p) => [p.id!, p]));
  // Supplier + number + kind: an invoice and a credit note may share a number in the ledger.
  const duplicates = new Set(
    planned
      .filter((p) => p.kind === 'duplicate')
      .map((p) => `${p.org}|${p.supplier}|${p.doc}|${p.invoiceNumber}`),
  );
  const out: string[] = [];
  const fail = (msg: string) => {
    if (out.length < 40) out.push(msg);
  };
  for (const r of rows) {
    const p = byId.get(r.id)!;
    const where = `${p.doc === 'CREDIT_NOTE' ? 'credit note' : 'invoice'} ${r.id} (${p.org} ${p.kind}${p.defect ? `, ${p.defect}` : ''}, billed ${r.bill_date})`;
    if (p.kind === 'idle') {
      if (r.transfers) fail(`${where} was never exported but has ${r.transfers} transfer(s)`);
      continue;
    }
    const removal = removed.get(r.id);
    if (removal) {
      if (removal.alsoRemoveFromAccounting && r.live_entry && r.last_status !== 'FAILED') {
        fail(
          `${where} was removed from accounting too, but its entry is live and the reversal did not fail (${r.last_kind} ${r.last_status})`,
        );
      }
      if (!removal.alsoRemoveFromAccounting && removal.inLedger && !r.live_entry)
        fail(`${where} was removed keeping its entry, but the entry is gone`);
      continue;
    }
    const wanted = expectedProblems(r.lines, r.ghost);
    const codes = (r.last_codes ?? []).sort();
    if (wanted.length) {
      if (r.up_to_date)
        fail(`${where} has problems ${wanted} but its current version is in the ledger`);
      else if (r.last_status !== 'FAILED' || !wanted.every((c) => codes.includes(c))) {
        fail(
          `${where} must fail with ${wanted}; last transfer ${r.last_kind} ${r.last_status} ${codes}`,
        );
      }
      continue;
    }
    if (r.up_to_date) continue;
    const explained = codes.filter((c) => {
      if (c === 'TRANSIENT_EXHAUSTED') return true;
      if (c === 'DUPLICATE_REFERENCE')
        return duplicates.has(`${p.org}|${p.supplier}|${p.doc}|${p.invoiceNumber}`);
      if (c === 'PERIOD_LOCKED')
        return (
          r.organization_id === ctx.orgB &&
          (r.bill_date.slice(0, 7) === ctx.closedMonth.slice(0, 7) || r.bill_date <= ctx.lockB)
        );
      return false;
    });
    if (r.last_status !== 'FAILED' || !codes.length || explained.length !== codes.length) {
      fail(
        `${where} should be in the ledger up to date; last transfer ${r.last_kind} ${r.last_status} ${codes}, entry ${r.ledger_entry_id}`,
      );
    }
  }
  // The period rule as the organizations chose it: A shifts to the first day of an open period,
  // B never shifts (it blocks instead).
  const shifted = await sql<{ problem: string }>(
    `select format('entry %s (%s) of %s: document %s posted %s, period starts %s', e.id, e.kind, o.slug, e.document_date, e.posting_date, p.start_date) as problem
       from ledger.entry e join ledger.period p on p.id = e.period_id join organization o on o.id = e.organization_id
      where e.organization_id = any($1) and e.posting_date <> e.document_date
        and (e.organization_id = $2 or e.posting_date <> p.start_date)`,
    [[...new Set(rows.map((r) => r.organization_id))], ctx.orgB],
  );
  for (const s of shifted.slice(0, 10)) fail(`period rule: ${s.problem}`);
  out.push(...(await creditNoteFailures(sql, [...new Set(rows.map((r) => r.organization_id))])));
  return out.slice(0, 40);
}

/**
 * Credit notes in the ledger and in the open amounts: a document's live entry has its kind and
 * books accounts payable on its side (credited for an invoice, debited for a credit note), and no
 * document is settled beyond its gross by payments, refunds and offsets together.
 */
async function creditNoteFailures(sql: Sql, orgIds: string[]): Promise<string[]> {
  const rows = await sql<{ problem: string }>(
    `select format('%s %s: live entry %s is %s with accounts payable debit %s credit %s', i.kind, i.id, e.id, e.kind, l.debit, l.credit) as problem
       from purchase_invoice i join ledger.entry e on e.id = i.ledger_entry_id and e.reversed_by_entry_id is null
       join ledger.settings s on s.organization_id = e.organization_id
       join ledger.entry_line l on l.entry_id = e.id and l.account_code = s.accounts_payable_account
      where i.organization_id = any($1)
        and (e.kind <> i.kind or (i.kind = 'CREDIT_NOTE') <> (l.debit > 0))
     union all
     select format('%s %s: gross %s, paid %s, offset %s: open %s has the wrong sign', d.kind, d.id, d.gross_amount, d.paid, d.offset, d.gross_amount - d.paid - d.offset)
       from (select i.id, i.kind, i.gross_amount,
               (select coalesce(sum(p.amount), 0) from payment p where p.invoice_id = i.id and p.removed_at is null) as paid,
               (select coalesce(sum(o.amount), 0) from credit_offset o join purchase_invoice c on c.id = o.credit_note_id and c.removed_at is null
                 where o.invoice_id = i.id and o.removed_at is null)
               - (select coalesce(sum(o.amount), 0) from credit_offset o join purchase_invoice x on x.id = o.invoice_id and x.removed_at is null
                 where o.credit_note_id = i.id and o.removed_at is null) as offset
              from purchase_invoice i where i.organization_id = any($1) and i.removed_at is null) d
      where (d.kind = 'INVOICE' and d.gross_amount - d.paid - d.offset < 0)
         or (d.kind = 'CREDIT_NOTE' and d.gross_amount - d.paid - d.offset > 0)
      limit 10`,
    [orgIds],
  );
  return rows.map((r) => `credit notes: ${r.problem}`);
}

/** Everything that went wrong in a finished run: client-side surprises, unexpected deaths, broken
 * invariants, documents that ended in the wrong place, fault kinds never exercised, history gaps. */
export async function simulationFailures(
  sql: Sql,
  run: {
    problems: string[];
    unexpected: { name: string; code: number | null; signal: string | null; tail: string }[];
    orgIds: string[];
    planned: Planned[];
    removed: Map<string, { alsoRemoveFromAccounting: boolean; inLedger: boolean }>;
    closedMonth: string;
    lockB: string;
    orgB: string;
    injected: Record<string, number>;
    crashes: number;
    stats: {
      changes: number;
      removals: number;
      approvals: number;
      payments: number;
      offsets: number;
    };
    log: (msg: string) => void;
  },
): Promise<string[]> {
  const {
    problems,
    unexpected,
    orgIds,
    planned,
    removed,
    closedMonth,
    lockB,
    injected,
    crashes,
    stats,
    log,
  } = run;
  const failures: string[] = [];
  if (problems.length) failures.push(`client-side problems:\n  ${problems.join('\n  ')}`);
  if (unexpected.length)
    failures.push(
      `worker processes died of something other than an injected crash:\n${unexpected.map((e) => `${e.name} ${JSON.stringify({ code: e.code, signal: e.signal })}\n${e.tail}`).join('\n')}`,
    );

  const report = await checkInvariants(sql, orgIds);
  if (report.violations.length)
    failures.push(
      `${formatViolations(report)}\nsome of the transfers involved:\n${await explainViolations(sql, report)}`,
    );

  failures.push(
    ...(await expectedOutcomes(sql, planned, removed, {
      closedMonth,
      lockB,
      orgB: run.orgB,
    })),
  );

  // Every fault kind happened, and the engine saw the consequences.
  const [ev] = await sql<Record<string, string>>(
    `select count(*) filter (where action = 'transfer.in_doubt') as in_doubt, count(*) filter (where action = 'transfer.reconciled') as reconciled,
          count(*) filter (where action = 'transfer.retrying') as retrying
     from audit_event where organization_id = any($1)`,
    [orgIds],
  );
  const seen = {
    transient: injected.transient ?? 0,
    lostAck: injected.lostAck ?? 0,
    timeout: injected.timeout ?? 0,
    crash: crashes,
    ...ev,
  };
  log(`faults and their traces: ${JSON.stringify(seen)}`);
  for (const [k, v] of Object.entries(seen))
    if (!Number(v)) failures.push(`no ${k} happened: the run did not exercise it`);

  // History of the other steps: each change, removal, approval, close and lock is on record.
  const [h] = await sql<Record<string, string>>(
    `select count(*) filter (where action = 'invoice.posting_changed') as changes, count(*) filter (where action = 'invoice.removed') as removals,
          count(*) filter (where action = 'invoice.approved') as approvals, count(*) filter (where action = 'payment.recorded') as payments,
          count(*) filter (where action = 'invoice.offset') / 2 as offsets,
          count(*) filter (where action = 'ledger.period_closed') as closes, count(*) filter (where action = 'ledger.lock_date_set') as locks
     from audit_event where organization_id = any($1)`,
    [orgIds],
  );
  const want = {
    changes: stats.changes,
    removals: stats.removals,
    approvals: stats.approvals,
    payments: stats.payments,
    offsets: stats.offsets,
    closes: 2,
    locks: 2,
  };
  for (const [k, v] of Object.entries(want))
    if (Number(h[k]) !== v) failures.push(`history has ${h[k]} ${k}, the simulation made ${v}`);
  return failures;
}
