import { Migration } from '@mikro-orm/migrations';

export class Migration20261208013147 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "einvoice_document" ("id" uuid not null, "organization_id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "sha256" text not null, "format" text check ("format" in ('UBL_INVOICE', 'UBL_CREDIT_NOTE', 'FINVOICE')) not null, "filename" text null, "content" bytea not null, "byte_size" int not null, "state" text check ("state" in ('IMPORTED', 'NEEDS_SUPPLIER')) not null, "rule_sets" jsonb not null, "findings" jsonb not null, "parsed" jsonb not null, "mapping_warnings" jsonb not null, "invoice_id" uuid null, "imported_by_id" uuid null, "imported_via" text null, constraint "einvoice_document_pkey" primary key ("id"));`);
    this.addSql(`create index "einvoice_document_organization_id_state_index" on "einvoice_document" ("organization_id", "state");`);
    this.addSql(`create index "einvoice_document_organization_id_invoice_id_index" on "einvoice_document" ("organization_id", "invoice_id");`);
    this.addSql(`create index "einvoice_document_organization_id_created_at_id_index" on "einvoice_document" ("organization_id", "created_at", "id");`);
    this.addSql(`alter table "einvoice_document" add constraint "einvoice_document_organization_id_sha256_unique" unique ("organization_id", "sha256");`);

    this.addSql(`create table "einvoice_attachment" ("id" uuid not null, "organization_id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "document_id" uuid not null, "position" int not null, "filename" text null, "mime_type" text not null, "description" text null, "byte_size" int not null, "content" bytea not null, constraint "einvoice_attachment_pkey" primary key ("id"));`);
    this.addSql(`create index "einvoice_attachment_organization_id_document_id_position_index" on "einvoice_attachment" ("organization_id", "document_id", "position");`);

    this.addSql(`create table "vat_mapping" ("id" uuid not null, "organization_id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "category" text not null, "rate" text not null, "vat_code" text not null, constraint "vat_mapping_pkey" primary key ("id"));`);
    this.addSql(`alter table "vat_mapping" add constraint "vat_mapping_organization_id_category_rate_unique" unique ("organization_id", "category", "rate");`);

    this.addSql(`alter table "einvoice_document" add constraint "einvoice_document_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "einvoice_document" add constraint "einvoice_document_invoice_id_foreign" foreign key ("invoice_id") references "purchase_invoice" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "einvoice_document" add constraint "einvoice_document_imported_by_id_foreign" foreign key ("imported_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "einvoice_attachment" add constraint "einvoice_attachment_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "einvoice_attachment" add constraint "einvoice_attachment_document_id_foreign" foreign key ("document_id") references "einvoice_document" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "vat_mapping" add constraint "vat_mapping_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "supplier" add column "vat_number" text null, add column "peppol_endpoint_scheme" text null, add column "peppol_endpoint_id" text null;`);
    this.addSql(`create index "supplier_organization_id_peppol_endpoint_id_index" on "supplier" ("organization_id", "peppol_endpoint_id");`);
    this.addSql(`create index "supplier_organization_id_vat_number_index" on "supplier" ("organization_id", "vat_number");`);
    this.addSql(`create index "supplier_organization_id_business_id_index" on "supplier" ("organization_id", "business_id");`);

    this.addSql(`alter table "purchase_invoice" add column "source" text check ("source" in ('MANUAL', 'PEPPOL', 'FINVOICE')) not null default 'MANUAL';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "einvoice_attachment" drop constraint "einvoice_attachment_document_id_foreign";`);

    this.addSql(`drop table if exists "einvoice_document" cascade;`);

    this.addSql(`drop table if exists "einvoice_attachment" cascade;`);

    this.addSql(`drop table if exists "vat_mapping" cascade;`);

    this.addSql(`alter table "purchase_invoice" drop column "source";`);

    this.addSql(`drop index "supplier_organization_id_peppol_endpoint_id_index";`);
    this.addSql(`drop index "supplier_organization_id_vat_number_index";`);
    this.addSql(`drop index "supplier_organization_id_business_id_index";`);
    this.addSql(`alter table "supplier" drop column "vat_number", drop column "peppol_endpoint_scheme", drop column "peppol_endpoint_id";`);
  }

}
