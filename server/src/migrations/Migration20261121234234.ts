import { Migration } from '@mikro-orm/migrations';

/**
 * Hand-written: the ledger's balance check ran once per line (a deferred trigger on every
 * ledger.entry_line row: five to seven sums of an entry's lines per posting). Lines added by the
 * transaction that created their entry are covered by the entry's own deferred check, which sees
 * all of them at commit; a line row's check now runs only for a line added to an entry created
 * by an earlier transaction (or in a savepoint: its xmin is the subtransaction's), which is then
 * checked as before. The guarantee is unchanged: every entry is balanced at every commit.
 */
export class Migration20261121234234 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create or replace function ledger.check_entry_balanced() returns trigger language plpgsql as $$
declare
  e_id uuid;
  o_id uuid;
  d numeric; c numeric; n int; t numeric;
begin
  -- Fields are resolved when a statement runs, so each branch names only its table's columns.
  if tg_table_name = 'entry' then
    e_id := new.id; o_id := new.organization_id;
  elsif tg_op = 'DELETE' then
    e_id := old.entry_id; o_id := old.organization_id;
  else
    e_id := new.entry_id; o_id := new.organization_id;
  end if;
  if tg_table_name = 'entry_line' then
    -- Created by this very transaction: the entry's own check (queued with its insert) sees
    -- every line at commit.
    perform 1 from ledger.entry where id = e_id and xmin = pg_current_xact_id()::xid;
    if found then return null; end if;
  end if;
  -- organization_id first, so the (organization_id, entry_id) index serves it.
  select coalesce(sum(debit), 0), coalesce(sum(credit), 0), count(*) into d, c, n
    from ledger.entry_line where organization_id = o_id and entry_id = e_id;
  select total into t from ledger.entry where id = e_id;
  if t is null then return null; end if;
  if n < 2 or d <> c or d <> t then
    raise exception 'ledger entry % is unbalanced: debit %, credit %, total %, lines %', e_id, d, c, t, n
      using errcode = '23514', constraint = 'entry_balanced';
  end if;
  return null;
end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`create or replace function ledger.check_entry_balanced() returns trigger language plpgsql as $$
declare
  e_id uuid;
  o_id uuid;
  d numeric; c numeric; n int; t numeric;
begin
  if tg_table_name = 'entry' then
    e_id := new.id; o_id := new.organization_id;
  elsif tg_op = 'DELETE' then
    e_id := old.entry_id; o_id := old.organization_id;
  else
    e_id := new.entry_id; o_id := new.organization_id;
  end if;
  select coalesce(sum(debit), 0), coalesce(sum(credit), 0), count(*) into d, c, n
    from ledger.entry_line where organization_id = o_id and entry_id = e_id;
  select total into t from ledger.entry where id = e_id;
  if t is null then return null; end if;
  if n < 2 or d <> c or d <> t then
    raise exception 'ledger entry % is unbalanced: debit %, credit %, total %, lines %', e_id, d, c, t, n
      using errcode = '23514', constraint = 'entry_balanced';
  end if;
  return null;
end $$;`);
  }

}
