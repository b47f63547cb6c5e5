import { Migration } from '@mikro-orm/migrations';

export class Migration20261121210419 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "rate_limit_bucket" ("key" text not null, "available" double precision not null, "updated_at" timestamptz not null, constraint "rate_limit_bucket_pkey" primary key ("key"));`);

    this.addSql(`alter table "audit_event" alter column "organization_id" drop default;`);
    this.addSql(`alter table "audit_event" alter column "organization_id" type uuid using ("organization_id"::text::uuid);`);
    this.addSql(`alter table "audit_event" alter column "organization_id" drop not null;`);

    // Hand-written: rate-limit buckets are disposable (a crash only refills them), so skip the WAL.
    this.addSql(`alter table "rate_limit_bucket" set unlogged;`);
    // Hand-written: the audit log is append-only for every role that does not own the trigger.
    this.addSql(`create or replace function "audit_event_append_only"() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_event is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
      end;
    $$;`);
    this.addSql(`create trigger "audit_event_append_only" before update or delete on "audit_event" for each row execute function "audit_event_append_only"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "audit_event_append_only" on "audit_event";`);
    this.addSql(`drop function if exists "audit_event_append_only"();`);

    this.addSql(`drop table if exists "rate_limit_bucket" cascade;`);

    this.addSql(`alter table "audit_event" alter column "organization_id" drop default;`);
    this.addSql(`alter table "audit_event" alter column "organization_id" type uuid using ("organization_id"::text::uuid);`);
    this.addSql(`alter table "audit_event" alter column "organization_id" set not null;`);
  }

}
