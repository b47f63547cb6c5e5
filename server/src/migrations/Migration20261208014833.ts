import { Migration } from '@mikro-orm/migrations';

export class Migration20261208014833 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "accounting_external_entry" ("organization_id" uuid not null, "id" uuid not null, "system" text check ("system" in ('BUILTIN', 'ACCOUNTSIQ')) not null, "external_id" text not null, "created_at" timestamptz not null default now(), constraint "accounting_external_entry_pkey" primary key ("organization_id", "id"));`);
    this.addSql(`alter table "accounting_external_entry" add constraint "accounting_external_entry_organization_id_system__10c4a_unique" unique ("organization_id", "system", "external_id");`);

    this.addSql(`create table "accounting_drift_report" ("id" uuid not null, "organization_id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "system" text check ("system" in ('BUILTIN', 'ACCOUNTSIQ')) not null, "checked" int not null, "items" jsonb not null, constraint "accounting_drift_report_pkey" primary key ("id"));`);
    this.addSql(`create index "accounting_drift_report_organization_id_created_at_index" on "accounting_drift_report" ("organization_id", "created_at");`);

    this.addSql(`create table "accounting_connection" ("id" uuid not null, "organization_id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "system" text check ("system" in ('BUILTIN', 'ACCOUNTSIQ')) not null, "endpoint" text not null, "entity" text not null, "client_id" text not null, "secret_ciphertext" text not null, "secret_key_id" text not null, "secret_hint" text not null, "status" text check ("status" in ('UNTESTED', 'CONNECTED', 'FAILED')) not null default 'UNTESTED', "last_tested_at" timestamptz null, "last_test_code" text null, "last_test_message" text null, "company_name" text null, "master_data" jsonb null, "master_data_refreshed_at" timestamptz null, "version" int not null default 1, constraint "accounting_connection_pkey" primary key ("id"));`);
    this.addSql(`alter table "accounting_connection" add constraint "accounting_connection_organization_id_unique" unique ("organization_id");`);

    this.addSql(`alter table "accounting_external_entry" add constraint "accounting_external_entry_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "accounting_drift_report" add constraint "accounting_drift_report_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "accounting_connection" add constraint "accounting_connection_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "accounting_external_entry" cascade;`);

    this.addSql(`drop table if exists "accounting_drift_report" cascade;`);

    this.addSql(`drop table if exists "accounting_connection" cascade;`);
  }

}
