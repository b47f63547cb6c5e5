import { Migration } from '@mikro-orm/migrations';

export class Migration20261208011501 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "credit_offset" ("id" uuid not null, "organization_id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "credit_note_id" uuid not null, "invoice_id" uuid not null, "amount" numeric(19,2) not null, "offset_date" date not null, "created_by_id" uuid null, "removed_at" timestamptz null, constraint "credit_offset_pkey" primary key ("id"));`);
    this.addSql(`create index "credit_offset_organization_id_invoice_id_index" on "credit_offset" ("organization_id", "invoice_id");`);
    this.addSql(`create index "credit_offset_organization_id_credit_note_id_index" on "credit_offset" ("organization_id", "credit_note_id");`);

    this.addSql(`alter table "credit_offset" add constraint "credit_offset_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "credit_offset" add constraint "credit_offset_credit_note_id_foreign" foreign key ("credit_note_id") references "purchase_invoice" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "credit_offset" add constraint "credit_offset_invoice_id_foreign" foreign key ("invoice_id") references "purchase_invoice" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "credit_offset" add constraint "credit_offset_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "ledger"."entry" drop constraint if exists "entry_kind_check";`);

    this.addSql(`alter table "ledger"."entry" add constraint "entry_kind_check" check("kind" in ('INVOICE', 'CREDIT_NOTE', 'PAYMENT', 'REVERSAL'));`);

    this.addSql(`alter table "purchase_invoice" add column "kind" text check ("kind" in ('INVOICE', 'CREDIT_NOTE')) not null default 'INVOICE', add column "credited_invoice_id" uuid null;`);
    this.addSql(`alter table "purchase_invoice" add constraint "purchase_invoice_credited_invoice_id_foreign" foreign key ("credited_invoice_id") references "purchase_invoice" ("id") on update cascade on delete restrict;`);
    this.addSql(`create index "purchase_invoice_organization_id_credited_invoice_id_index" on "purchase_invoice" ("organization_id", "credited_invoice_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "credit_offset" cascade;`);

    this.addSql(`alter table "ledger"."entry" drop constraint if exists "entry_kind_check";`);

    this.addSql(`alter table "purchase_invoice" drop constraint "purchase_invoice_credited_invoice_id_foreign";`);

    this.addSql(`alter table "ledger"."entry" add constraint "entry_kind_check" check("kind" in ('INVOICE', 'PAYMENT', 'REVERSAL'));`);

    this.addSql(`drop index "purchase_invoice_organization_id_credited_invoice_id_index";`);
    this.addSql(`alter table "purchase_invoice" drop column "kind", drop column "credited_invoice_id";`);
  }

}
