/**
 * The transfer engine's rules, checked in SQL over a quiet database: the ledger against the
 * transfers, the documents and the history. Each check returns the rows that break its rule;
 * an empty result is a pass. Used by the chaos simulation, the crash test and the benchmark.
 */
import type { Sql } from './seed.js';

export interface Check {
  name: string;
  /** Rows that break the rule; every row has a `problem` column (text). */
  sql: string;
}

const LIVE = `('QUEUED', 'SENDING', 'RETRYING', 'IN_DOUBT')`;

/** $1: organization ids (uuid[]). */
export const CHECKS: Check[] = [
  {
    name: 'every transfer ends TRANSFERRED or FAILED',
    sql: `select format('transfer %s (%s %s) is %s', id, kind, document_type, status) as problem
            from transfer where organization_id = any($1) and status not in ('TRANSFERRED', 'FAILED')`,
  },
  {
    name: 'a FAILED transfer gives its reasons',
    sql: `select format('transfer %s FAILED without reasons: %s', id, errors) as problem
            from transfer where organization_id = any($1) and status = 'FAILED'
             and (jsonb_array_length(errors) = 0 or exists (select 1 from jsonb_array_elements(errors) e
                  where coalesce(e->>'code', '') = '' or coalesce(e->>'message', '') = '' or e->>'code' in ('IN_DOUBT', 'TRANSIENT')))`,
  },
  {
    name: 'a TRANSFERRED transfer names its own entry',
    sql: `select format('transfer %s (%s) TRANSFERRED with entry %s whose key is %s', t.id, t.kind, t.ledger_entry_id, e.idempotency_key) as problem
            from transfer t left join ledger.entry e on e.id = t.ledger_entry_id
           where t.organization_id = any($1) and t.status = 'TRANSFERRED'
             and (e.id is null or e.idempotency_key <> t.id::text or e.organization_id <> t.organization_id
                  or (t.kind = 'REVERSAL') <> (e.kind = 'REVERSAL')
                  or (t.kind <> 'REVERSAL' and e.kind <> (case t.document_type
                        when 'INVOICE' then (select i.kind from purchase_invoice i where i.id = t.invoice_id) else 'PAYMENT' end)))`,
  },
  {
    name: 'no two transfers claim one entry',
    sql: `select format('entry %s is claimed by transfers %s', ledger_entry_id, string_agg(id::text, ', ')) as problem
            from transfer where organization_id = any($1) and ledger_entry_id is not null
           group by ledger_entry_id having count(*) > 1`,
  },
  {
    name: 'every ledger entry was made by a transfer that knows it (no orphan postings)',
    sql: `select format('entry %s (%s, reference %s, key %s) has no transfer that recorded it', e.id, e.kind, e.reference, e.idempotency_key) as problem
            from ledger.entry e
           where e.organization_id = any($1)
             and not exists (select 1 from transfer t where t.id::text = e.idempotency_key and t.ledger_entry_id = e.id
                             and t.status = 'TRANSFERRED')
             and not (e.kind = 'REVERSAL' and e.idempotency_key like '%:reversal' and exists (
                   select 1 from transfer t where t.id::text = split_part(e.idempotency_key, ':', 1) and t.kind = 'CORRECTION'
                      and t.reverses_entry_id = e.reverses_entry_id and t.status in ('TRANSFERRED', 'FAILED')))`,
  },
  {
    name: 'every document version is posted at most once',
    sql: `select format('%s %s version %s has %s entries: %s', t.document_type, coalesce(t.invoice_id, t.payment_id), t.document_version,
                  count(*), string_agg(e.id::text, ', ')) as problem
            from ledger.entry e join transfer t on t.id::text = e.idempotency_key
           where e.organization_id = any($1) and e.kind <> 'REVERSAL'
           group by t.document_type, coalesce(t.invoice_id, t.payment_id), t.document_version having count(*) > 1`,
  },
  {
    name: 'a document has at most one live entry',
    sql: `select format('%s %s has %s live entries: %s', t.document_type, coalesce(t.invoice_id, t.payment_id), count(*), string_agg(e.id::text, ', ')) as problem
            from ledger.entry e join transfer t on t.id::text = e.idempotency_key
           where e.organization_id = any($1) and e.kind <> 'REVERSAL' and e.reversed_by_entry_id is null
           group by t.document_type, coalesce(t.invoice_id, t.payment_id) having count(*) > 1`,
  },
  {
    name: 'an entry is reversed at most once, and both ends agree',
    sql: `select format('entry %s: reversals %s, reversed_by %s', o.id, string_agg(r.id::text, ', '), o.reversed_by_entry_id) as problem
            from ledger.entry o left join ledger.entry r on r.reverses_entry_id = o.id
           where o.organization_id = any($1) and (o.reversed_by_entry_id is not null or r.id is not null)
           group by o.id, o.reversed_by_entry_id
          having count(r.id) <> 1 or bool_or(r.id is distinct from o.reversed_by_entry_id)`,
  },
  {
    name: 'the document says what the ledger holds (entry, version, transfer status)',
    sql: `with live as (
            select coalesce(t.invoice_id, t.payment_id) as doc, e.id as entry_id, t.document_version
              from ledger.entry e join transfer t on t.id::text = e.idempotency_key
             where e.organization_id = any($1) and e.kind <> 'REVERSAL' and e.reversed_by_entry_id is null),
          docs as (
            select 'invoice' as type, id, ledger_entry_id, ledger_version, transfer_status, last_transfer_id from purchase_invoice where organization_id = any($1)
            union all
            select 'payment', id, ledger_entry_id, ledger_version, transfer_status, last_transfer_id from payment where organization_id = any($1))
          select format('%s %s says entry %s version %s status %s; the ledger has entry %s version %s; last transfer is %s',
                        d.type, d.id, d.ledger_entry_id, d.ledger_version, d.transfer_status, l.entry_id, l.document_version, lt.status) as problem
            from docs d left join live l on l.doc = d.id left join transfer lt on lt.id = d.last_transfer_id
           where d.ledger_entry_id is distinct from l.entry_id or d.ledger_version is distinct from l.document_version
              or d.transfer_status is distinct from lt.status`,
  },
  {
    name: 'an up-to-date invoice entry carries the current posting (total and lines)',
    sql: `with up as (
            select id, ledger_entry_id, gross_amount from purchase_invoice
             where organization_id = any($1) and ledger_entry_id is not null and ledger_version = posting_version),
          cur as (
            select u.id, l.account_code, l.cost_unit_code, sum(l.net_amount) as net
              from up u join invoice_line l on l.invoice_id = u.id group by 1, 2, 3),
          led as (
            select u.id, el.account_code, el.cost_unit_code, sum(el.debit - el.credit) as net
              from up u join ledger.entry_line el on el.entry_id = u.ledger_entry_id
              join ledger.settings s on s.organization_id = el.organization_id
             where el.account_code not in (s.accounts_payable_account, s.vat_receivable_account, s.vat_payable_account)
             group by 1, 2, 3)
          select format('invoice %s: account %s / %s is %s here but %s in the ledger', coalesce(c.id, l.id),
                        coalesce(c.account_code, l.account_code), coalesce(c.cost_unit_code, l.cost_unit_code), c.net, l.net) as problem
            from cur c full join led l on l.id = c.id and l.account_code = c.account_code and l.cost_unit_code is not distinct from c.cost_unit_code
           where c.net is distinct from l.net
          union all
          select format('invoice %s: gross %s but entry %s totals %s', u.id, u.gross_amount, e.id, e.total)
            from up u join ledger.entry e on e.id = u.ledger_entry_id where e.total <> abs(u.gross_amount)`,
  },
  {
    name: 'every entry is balanced',
    sql: `select format('entry %s: debit %s credit %s total %s over %s lines', e.id, sum(l.debit), sum(l.credit), e.total, count(l.id)) as problem
            from ledger.entry e left join ledger.entry_line l on l.entry_id = e.id
           where e.organization_id = any($1)
           group by e.id, e.total
          having count(l.id) < 2 or sum(l.debit) <> sum(l.credit) or sum(l.debit) <> e.total`,
  },
  {
    name: 'an entry sits in the period of its posting date, never before its document date',
    sql: `select format('entry %s posted %s (document %s) in period %s (%s..%s)', e.id, e.posting_date, e.document_date, p.name, p.start_date, p.end_date) as problem
            from ledger.entry e join ledger.period p on p.id = e.period_id
           where e.organization_id = any($1)
             and (e.posting_date not between p.start_date and p.end_date or e.posting_date < e.document_date)`,
  },
  {
    name: 'nothing is committed into a closed period',
    sql: `select format('entry %s committed %s into period %s, closed at %s', e.id, c.committed_at, p.name, pc.committed_at) as problem
            from ledger.entry e join ledger.period p on p.id = e.period_id
            join test_clock.entry_commit c on c.entry_id = e.id
            cross join lateral (select status, committed_at from test_clock.period_change x
                                 where x.period_id = p.id and x.committed_at < c.committed_at
                                 order by x.committed_at desc limit 1) pc
           where e.organization_id = any($1) and pc.status = 'CLOSED'`,
  },
  {
    name: 'nothing is committed on or before the lock date in force',
    sql: `select format('entry %s posted %s, committed %s, when the lock date was %s (set %s)', e.id, e.posting_date, c.committed_at, lc.lock_date, lc.committed_at) as problem
            from ledger.entry e join test_clock.entry_commit c on c.entry_id = e.id
            cross join lateral (select lock_date, committed_at from test_clock.lock_change x
                                 where x.organization_id = e.organization_id and x.committed_at < c.committed_at
                                 order by x.committed_at desc limit 1) lc
           where e.organization_id = any($1) and lc.lock_date is not null and e.posting_date <= lc.lock_date`,
  },
  {
    name: 'every entry has a commit clock (the instrumentation saw it)',
    sql: `select format('entry %s has no commit clock', e.id) as problem
            from ledger.entry e where e.organization_id = any($1)
             and not exists (select 1 from test_clock.entry_commit c where c.entry_id = e.id)`,
  },
  {
    name: 'a transferred transfer records the dates its entry got',
    sql: `select format('transfer %s: original %s posting %s, entry document %s posting %s', t.id, t.original_date, t.posting_date,
                        e.document_date, e.posting_date) as problem
            from transfer t join ledger.entry e on e.id = t.ledger_entry_id
           where t.organization_id = any($1) and t.status = 'TRANSFERRED'
             and (t.posting_date is distinct from e.posting_date or t.original_date is distinct from e.document_date)`,
  },
  {
    name: 'history: every transfer is queued once, first, and ends with one event that matches its status',
    sql: `select format('transfer %s (%s): queued %s, terminal %s, first event %s, last event %s', t.id, t.status, h.queued, h.terminal,
                        h.first_action, h.last_action) as problem
            from transfer t
            cross join lateral (
              select count(*) filter (where action = 'transfer.queued') as queued,
                     count(*) filter (where action in ('transfer.transferred', 'transfer.reconciled', 'transfer.failed')) as terminal,
                     (array_agg(action order by at asc))[1] as first_action,
                     (array_agg(action order by at desc))[1] as last_action
                from audit_event a where a.organization_id = t.organization_id and a.entity_type = 'Transfer' and a.entity_id = t.id) h
           where t.organization_id = any($1)
             and (h.queued <> 1 or h.terminal <> 1 or h.first_action <> 'transfer.queued'
                  or h.last_action <> all (case t.status when 'FAILED' then array['transfer.failed']
                                                         when 'TRANSFERRED' then array['transfer.transferred', 'transfer.reconciled']
                                                         else array['(none)'] end))`,
  },
  {
    name: 'history: the terminal event names the entry or the reasons',
    sql: `select format('transfer %s (%s): %s details %s', t.id, t.status, a.action, a.details) as problem
            from transfer t join audit_event a on a.entity_id = t.id and a.entity_type = 'Transfer'
           where t.organization_id = any($1)
             and ((a.action in ('transfer.transferred', 'transfer.reconciled')
                   and (a.details->>'entryId' is distinct from t.ledger_entry_id::text or a.details->>'period' is null
                        or a.details->>'postingDate' is distinct from t.posting_date::text or a.details->>'journal' is null))
               or (a.action = 'transfer.failed' and a.details->'errors' is distinct from t.errors))`,
  },
  {
    name: 'history: a send event for every attempt, a retry event for every transient failure, a resolution after every doubt',
    sql: `with ev as (
            select entity_id, action, at, details from audit_event where organization_id = any($1) and entity_type = 'Transfer')
          select format('transfer %s: attempts %s, sent %s, retrying %s, in doubt %s, unresolved doubts %s', t.id, t.attempts,
                        s.sent, s.retrying, s.in_doubt, s.unresolved) as problem
            from transfer t
            cross join lateral (
              select count(*) filter (where action = 'transfer.sent' and coalesce((details->>'reconcileFirst')::boolean, false) = false) as sent,
                     count(*) filter (where action = 'transfer.retrying') as retrying,
                     count(*) filter (where action = 'transfer.in_doubt') as in_doubt,
                     count(*) filter (where action = 'transfer.in_doubt' and not exists (
                        select 1 from ev later where later.entity_id = ev.entity_id and later.at > ev.at
                           and later.action in ('transfer.sent', 'transfer.reconciled', 'transfer.transferred', 'transfer.failed'))) as unresolved
                from ev where ev.entity_id = t.id) s
           where t.organization_id = any($1)
             and (s.sent <> t.attempts or s.retrying > greatest(t.attempts - 1, 0) or s.unresolved > 0)`,
  },
  {
    name: 'history: automatic transfers act as "Automatic transfer" on behalf of the saver',
    sql: `select format('transfer %s (AUTOMATIC) event %s by %s %s on behalf of %s, requested by %s', t.id, a.action, a.actor_type, a.system_name,
                        a.on_behalf_of_id, t.requested_by_user_id) as problem
            from transfer t join audit_event a on a.entity_id = t.id and a.entity_type = 'Transfer'
           where t.organization_id = any($1) and t.trigger = 'AUTOMATIC'
             and (a.actor_type <> 'SYSTEM' or a.system_name <> 'Automatic transfer' or a.on_behalf_of_id is distinct from t.requested_by_user_id)`,
  },
  {
    name: 'history: every transfer event is on the invoice it concerns',
    sql: `select format('event %s %s of transfer %s is on invoice %s, the transfer is of invoice %s', a.id, a.action, t.id, a.invoice_id,
                        coalesce(t.invoice_id, p.invoice_id)) as problem
            from transfer t left join payment p on p.id = t.payment_id
            join audit_event a on a.entity_id = t.id and a.entity_type = 'Transfer'
           where t.organization_id = any($1) and a.invoice_id is distinct from coalesce(t.invoice_id, p.invoice_id)`,
  },
  {
    name: 'batches finish, and one with failures has a report that counts them',
    sql: `select format('batch %s: status %s, failed %s, report %s', b.id, b.status,
                        (select count(*) from transfer t where t.batch_id = b.id and t.status <> 'TRANSFERRED'),
                        (select string_agg(r.not_transferred::text, ', ') from transfer_report r where r.batch_id = b.id)) as problem
            from transfer_batch b
           where b.organization_id = any($1)
             and (b.status <> 'DONE'
                  or (select count(*) from transfer_report r where r.batch_id = b.id)
                     <> case when exists (select 1 from transfer t where t.batch_id = b.id and t.status <> 'TRANSFERRED') then 1 else 0 end
                  or exists (select 1 from transfer_report r where r.batch_id = b.id
                              and r.not_transferred <> (select count(*) from transfer t where t.batch_id = b.id and t.status <> 'TRANSFERRED')))`,
  },
  {
    name: 'transfers of one document never overlap (one live at a time)',
    sql: `select format('%s %s: transfer %s (%s..%s) overlaps %s (created %s)', a.document_type, coalesce(a.invoice_id, a.payment_id),
                        a.id, a.created_at, a.finished_at, b.id, b.created_at) as problem
            from transfer a join transfer b on b.organization_id = a.organization_id and b.id <> a.id
             and coalesce(b.invoice_id, b.payment_id) = coalesce(a.invoice_id, a.payment_id) and b.document_type = a.document_type
           where a.organization_id = any($1)
             and b.created_at >= a.created_at and b.created_at < coalesce(a.finished_at, 'infinity')`,
  },
  {
    name: 'a payment is in the ledger only while its invoice is',
    sql: `select format('payment %s is in the ledger (entry %s) but its invoice %s is not (invoice entry %s)', p.id, p.ledger_entry_id,
                        i.id, i.ledger_entry_id) as problem
            from payment p join purchase_invoice i on i.id = p.invoice_id
            join ledger.entry pe on pe.id = p.ledger_entry_id
            left join ledger.entry ie on ie.id = i.ledger_entry_id
           where p.organization_id = any($1) and pe.reversed_by_entry_id is null
             and (ie.id is null or ie.reversed_by_entry_id is not null)`,
  },
  {
    name: 'at most one live transfer per document (index) and none left live',
    sql: `select format('%s has %s live transfers', coalesce(invoice_id, payment_id), count(*)) as problem
            from transfer where organization_id = any($1) and status in ${LIVE}
           group by coalesce(invoice_id, payment_id)`,
  },
];

export interface InvariantReport {
  violations: { check: string; count: number; examples: string[] }[];
}

/** Runs every check; returns those that found rows (with up to `examples` rows each). */
export async function checkInvariants(
  sql: Sql,
  organizationIds: string[],
  examples = 8,
): Promise<InvariantReport> {
  const violations: InvariantReport['violations'] = [];
  for (const check of CHECKS) {
    const rows = await sql<{ problem: string }>(check.sql, [organizationIds]);
    if (rows.length)
      violations.push({
        check: check.name,
        count: rows.length,
        examples: rows.slice(0, examples).map((r) => r.problem),
      });
  }
  return { violations };
}

export function formatViolations(report: InvariantReport): string {
  return report.violations
    .map((v) => `✗ ${v.check}: ${v.count} row(s)\n${v.examples.map((e) => `    ${e}`).join('\n')}`)
    .join('\n');
}

/** The story of a few transfers named in the violations (status, entry, history), to read a failure. */
export async function explainViolations(
  sql: Sql,
  report: InvariantReport,
  max = 4,
): Promise<string> {
  const ids = new Set<string>();
  for (const v of report.violations) {
    for (const e of v.examples) {
      for (const m of e.matchAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g))
        ids.add(m[0]);
    }
  }
  const rows = await sql<{ id: string; line: string }>(
    `select t.id, format('transfer %s %s %s of %s %s v%s: attempts %s, entry %s, errors %s', t.id, t.kind, t.status, t.document_type,
                         coalesce(t.invoice_id, t.payment_id), t.document_version, t.attempts, t.ledger_entry_id, t.errors) ||
            coalesce((select string_agg(format(E'\\n      %s %s %s', to_char(a.at, 'HH24:MI:SS.US'), a.action, a.details - 'transferId'), '' order by a.at)
                        from audit_event a where a.entity_id = t.id), '') as line
       from transfer t
      where t.id = any($1::uuid[]) or t.invoice_id = any($1::uuid[]) or t.ledger_entry_id = any($1::uuid[])
      order by t.created_at limit $2`,
    [[...ids], max * 3],
  );
  return rows.map((r) => `  ${r.line}`).join('\n');
}
