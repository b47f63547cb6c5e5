import { Migration } from '@mikro-orm/migrations';

export class Migration20261208015044 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "invoice_count" ("id" bigserial primary key, "organization_id" uuid not null, "status" text not null, "removed" boolean not null, "posted" boolean not null, "numbered" boolean not null, "ledger" smallint not null, "current_stage_id" uuid null, "n" bigint not null);`);
    this.addSql(`create index "invoice_count_organization_id_index" on "invoice_count" ("organization_id");`);

    this.addSql(`alter table "invoice_count" add constraint "invoice_count_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`);

    this.addSql(`create index "entry_organization_id_created_at_id_index" on "ledger"."entry" ("organization_id", "created_at", "id");`);

    // Hand-written: the trigram index needs pg_trgm, and btree_gin for its uuid column (both
    // trusted contrib extensions: the database owner may create them, PostgreSQL 13 and later).
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`create extension if not exists btree_gin;`);
    this.addSql(`create index "purchase_invoice_invoice_number_trgm_index" on "purchase_invoice" using gin ("organization_id", "invoice_number" gin_trgm_ops);`);
    this.addSql(`create index "purchase_invoice_transferred_index" on "purchase_invoice" ("organization_id", "bill_date", "id") where "removed_at" is null and "ledger_version" is not null and "ledger_version" = "posting_version";`);
    this.addSql(`create index "purchase_invoice_transferable_index" on "purchase_invoice" ("organization_id", "bill_date", "id") where "removed_at" is null and "posted" and "document_number" is not null and "status" in ('APPROVED', 'IN_CIRCULATION') and ("ledger_version" is null or "ledger_version" < "posting_version");`);
    this.addSql(`create index "purchase_invoice_in_process_index" on "purchase_invoice" ("organization_id", "bill_date", "id") where "removed_at" is null and "status" = 'IN_CIRCULATION';`);
    this.addSql(`create index "purchase_invoice_organization_id_document_number_index" on "purchase_invoice" ("organization_id", "document_number");`);
    this.addSql(`create index "purchase_invoice_organization_id_supplier_id_bill_date_id_index" on "purchase_invoice" ("organization_id", "supplier_id", "bill_date", "id");`);
    this.addSql(`create index "purchase_invoice_organization_id_invoice_number_id_index" on "purchase_invoice" ("organization_id", "invoice_number", "id");`);
    this.addSql(`create index "purchase_invoice_organization_id_created_at_id_index" on "purchase_invoice" ("organization_id", "created_at", "id");`);
    this.addSql(`create index "purchase_invoice_organization_id_gross_amount_id_index" on "purchase_invoice" ("organization_id", "gross_amount", "id");`);
    this.addSql(`create index "purchase_invoice_organization_id_due_date_id_index" on "purchase_invoice" ("organization_id", "due_date", "id");`);

    // Hand-written: the tab counters. Statement-level triggers turn each statement's changed
    // invoices (transition tables) into one signed delta row per class, inside the writer's
    // transaction. Writers only insert; now and then a writer folds its organization's deltas
    // into one row per class, skipping when another writer is already doing it.
    this.addSql(`create or replace function "invoice_count_compact"(org uuid) returns void language plpgsql as $$
begin
  if not pg_try_advisory_xact_lock(hashtextextended('invoice_count:' || org::text, 0)) then
    return;
  end if;
  with gone as (delete from invoice_count where organization_id = org returning *)
  insert into invoice_count (organization_id, status, removed, posted, numbered, ledger, current_stage_id, n)
  select organization_id, status, removed, posted, numbered, ledger, current_stage_id, sum(n)
    from gone group by organization_id, status, removed, posted, numbered, ledger, current_stage_id
  having sum(n) <> 0;
end $$;`);
    this.addSql(`create or replace function "invoice_count_track"() returns trigger language plpgsql as $$
declare
  orgs uuid[];
begin
  if tg_op = 'TRUNCATE' then
    delete from invoice_count;
    return null;
  elsif tg_op = 'INSERT' then
    with d as (select r.*, 1 as d from new_rows r), ins as (
      insert into invoice_count (organization_id, status, removed, posted, numbered, ledger, current_stage_id, n)
      select organization_id, status, removed_at is not null, posted, document_number is not null,
             case when ledger_version is null then 0 when ledger_version < posting_version then 1
                  when ledger_version = posting_version then 2 else 3 end,
             current_stage_id, sum(d)
        from d group by 1, 2, 3, 4, 5, 6, 7
      returning organization_id)
    select array_agg(distinct organization_id) into orgs from ins;
  elsif tg_op = 'DELETE' then
    with d as (select r.*, -1 as d from old_rows r), ins as (
      insert into invoice_count (organization_id, status, removed, posted, numbered, ledger, current_stage_id, n)
      select organization_id, status, removed_at is not null, posted, document_number is not null,
             case when ledger_version is null then 0 when ledger_version < posting_version then 1
                  when ledger_version = posting_version then 2 else 3 end,
             current_stage_id, sum(d)
        from d group by 1, 2, 3, 4, 5, 6, 7
      returning organization_id)
    select array_agg(distinct organization_id) into orgs from ins;
  else
    with d as (select r.*, 1 as d from new_rows r union all select r.*, -1 as d from old_rows r), ins as (
      insert into invoice_count (organization_id, status, removed, posted, numbered, ledger, current_stage_id, n)
      select organization_id, status, removed_at is not null, posted, document_number is not null,
             case when ledger_version is null then 0 when ledger_version < posting_version then 1
                  when ledger_version = posting_version then 2 else 3 end,
             current_stage_id, sum(d)
        from d group by 1, 2, 3, 4, 5, 6, 7 having sum(d) <> 0
      returning organization_id)
    select array_agg(distinct organization_id) into orgs from ins;
  end if;
  if orgs is not null and random() < 0.02 then
    perform invoice_count_compact(o) from unnest(orgs) o;
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger "invoice_count_insert" after insert on "purchase_invoice" referencing new table as new_rows for each statement execute function "invoice_count_track"();`);
    this.addSql(`create trigger "invoice_count_update" after update on "purchase_invoice" referencing old table as old_rows new table as new_rows for each statement execute function "invoice_count_track"();`);
    this.addSql(`create trigger "invoice_count_delete" after delete on "purchase_invoice" referencing old table as old_rows for each statement execute function "invoice_count_track"();`);
    this.addSql(`create trigger "invoice_count_truncate" after truncate on "purchase_invoice" for each statement execute function "invoice_count_track"();`);
    // The invoices already there, counted after the triggers exist (their lock holds writers off).
    this.addSql(`insert into invoice_count (organization_id, status, removed, posted, numbered, ledger, current_stage_id, n)
      select organization_id, status, removed_at is not null, posted, document_number is not null,
             case when ledger_version is null then 0 when ledger_version < posting_version then 1
                  when ledger_version = posting_version then 2 else 3 end,
             current_stage_id, count(*)
        from purchase_invoice group by 1, 2, 3, 4, 5, 6, 7;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "invoice_count_insert" on "purchase_invoice";`);
    this.addSql(`drop trigger if exists "invoice_count_update" on "purchase_invoice";`);
    this.addSql(`drop trigger if exists "invoice_count_delete" on "purchase_invoice";`);
    this.addSql(`drop trigger if exists "invoice_count_truncate" on "purchase_invoice";`);
    this.addSql(`drop function if exists "invoice_count_track"();`);
    this.addSql(`drop function if exists "invoice_count_compact"(uuid);`);
    this.addSql(`drop table if exists "invoice_count" cascade;`);

    this.addSql(`drop index "ledger"."entry_organization_id_created_at_id_index";`);

    this.addSql(`drop index "purchase_invoice_invoice_number_trgm_index";`);
    this.addSql(`drop index "purchase_invoice_transferred_index";`);
    this.addSql(`drop index "purchase_invoice_transferable_index";`);
    this.addSql(`drop index "purchase_invoice_in_process_index";`);
    this.addSql(`drop index "purchase_invoice_organization_id_document_number_index";`);
    this.addSql(`drop index "purchase_invoice_organization_id_supplier_id_bill_date_id_index";`);
    this.addSql(`drop index "purchase_invoice_organization_id_invoice_number_id_index";`);
    this.addSql(`drop index "purchase_invoice_organization_id_created_at_id_index";`);
    this.addSql(`drop index "purchase_invoice_organization_id_gross_amount_id_index";`);
    this.addSql(`drop index "purchase_invoice_organization_id_due_date_id_index";`);
  }

}
