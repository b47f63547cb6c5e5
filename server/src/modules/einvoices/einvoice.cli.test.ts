import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuiltinLedger } from '../../accounting/ledger/builtin-ledger.js';
import { createTestDatabase, type TestDatabase } from '../../testing/db.js';
import { createTenant, type Tenant } from '../../testing/factories.js';
import { einvoiceImportCommand } from './einvoice.cli.js';
import { FIXTURES } from './einvoice.api.helpers.js';

describe('pnpm ledgerlink import', () => {
  let db: TestDatabase;
  let t: Tenant;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTenant(db.orm, 'einvcli');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'einvoice-cli-'));
    const peppol = path.join(FIXTURES, 'peppol', 'examples');
    fs.copyFileSync(path.join(peppol, 'base-example.xml'), path.join(dir, 'a-invoice.xml'));
    fs.copyFileSync(
      path.join(peppol, 'base-creditnote-correction.xml'),
      path.join(dir, 'b-credit.xml'),
    );
    fs.writeFileSync(
      path.join(dir, 'c-hostile.xml'),
      '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>',
    );
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not an e-invoice, and not .xml: skipped');
    // The seller of both examples, known by its Peppol endpoint.
    await db.sql(
      `update supplier set peppol_endpoint_scheme = '0088', peppol_endpoint_id = '9482348239847239874' where id = $1`,
      [t.suppliers[0]!.id],
    );
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await db?.close();
  });

  const run = (paths: string[], flags: Record<string, string> = { org: t.org.slug }) =>
    einvoiceImportCommand(db.orm.em.fork(), new BuiltinLedger(db.orm), paths, flags);

  it('a folder: one line per .xml file, credit notes negative, failures flagged', async () => {
    const first = await run([dir, path.join(dir, 'missing.xml')]);
    expect(first.failed).toBe(true);
    expect(first.lines).toHaveLength(4);
    expect(first.lines[0]).toMatch(
      /^a-invoice\.xml: imported invoice Snippet1 1656\.25 EUR \(supplier by PEPPOL_ENDPOINT\)/,
    );
    expect(first.lines[1]).toMatch(
      /^b-credit\.xml: imported credit note Snippet1 -1656\.25 EUR \(supplier by PEPPOL_ENDPOINT\)/,
    );
    expect(first.lines[2]).toMatch(/^c-hostile\.xml: error XML_FORBIDDEN /);
    expect(first.lines[3]).toMatch(/^missing\.xml: error FILE_UNREADABLE /);
    const again = await run([path.join(dir, 'a-invoice.xml')]);
    expect(again).toEqual({
      failed: false,
      lines: ['a-invoice.xml: duplicate of invoice Snippet1 imported before, 5 warning(s)'],
    });
    const [{ n }] = await db.sql<{ n: number }>(
      `select count(*)::int as n from purchase_invoice where organization_id = $1 and source = 'PEPPOL'`,
      [t.org.id],
    );
    expect(n).toBe(2);
  });

  it('refuses a missing organization or member', async () => {
    await expect(run([dir], { org: 'nope' })).rejects.toThrow(/no organization/);
    await expect(run([dir], { org: t.org.slug, as: 'x@y.test' })).rejects.toThrow(/not a member/);
  });
});
