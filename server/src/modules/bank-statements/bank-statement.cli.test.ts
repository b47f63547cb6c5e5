import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuiltinLedger } from '../../accounting/ledger/builtin-ledger.js';
import { createTestDatabase, type TestDatabase } from '../../testing/db.js';
import { createTenant, type Tenant } from '../../testing/factories.js';
import { createInvoice } from '../../testing/factories.js';
import { bankImportCommand } from './bank-statement.cli.js';
import { sampleStatement } from './bank-statement.sample.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

describe('pnpm ledgerlink bank import', () => {
  let db: TestDatabase;
  let t: Tenant;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    t = await createTenant(db.orm, 'bankcli');
    await db.sql(
      `insert into bank_account (id, organization_id, identifier, currency, name) values ($1, $2, 'FI8529501800030574', 'EUR', 'Nordea')`,
      [randomUUID(), t.org.id],
    );
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bank-cli-'));
    fs.writeFileSync(
      path.join(dir, 'hostile.xml'),
      '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>',
    );
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await db?.close();
  });

  const run = (files: string[], flags: Record<string, string> = { org: t.org.slug }) =>
    bankImportCommand(db.orm.em.fork(), new BuiltinLedger(db.orm), files, flags);

  it('one line per file: imported, then duplicate, and errors with their code', async () => {
    const nordea = path.join(fixtures, 'nordea-camt053.xml');
    const first = await run([nordea, path.join(dir, 'hostile.xml'), path.join(dir, 'missing.xml')]);
    expect(first.failed).toBe(true);
    expect(first.lines[0]).toBe(
      'nordea-camt053.xml: imported 1 statement(s), 6 new entries (0 seen before), 0 matched, 4 queued',
    );
    expect(first.lines[1]).toMatch(/^hostile\.xml: error XML_FORBIDDEN /);
    expect(first.lines[2]).toMatch(/^missing\.xml: error FILE_UNREADABLE /);
    const again = await run([nordea]);
    expect(again).toEqual({
      failed: false,
      lines: [
        'nordea-camt053.xml: duplicate 1 statement(s), 0 new entries (0 seen before), 0 matched, 0 queued',
      ],
    });
    const [row] = await db.sql<{ n: number; who: string }>(
      `select count(*)::int as n, min(u.email) as who from bank_statement s join app_user u on u.id = s.imported_by_id where s.organization_id = $1`,
      [t.org.id],
    );
    expect(row).toEqual({ n: 1, who: 'admin@bankcli.test' });
  });

  it('acts as the member named by --as, and refuses strangers', async () => {
    await expect(
      run([path.join(fixtures, 'ing-camt053.xml')], { org: t.org.slug, as: 'nobody@x.test' }),
    ).rejects.toThrow('nobody@x.test is not a member of bankcli');
    const viewer = await run([path.join(fixtures, 'ing-camt053.xml')], {
      org: t.org.slug,
      as: 'viewer@bankcli.test',
    });
    expect(viewer.lines[0]).toMatch(/error FORBIDDEN/);
    await expect(run([], { org: t.org.slug })).rejects.toThrow('name one or more');
    await expect(run(['x'], { org: 'nope' })).rejects.toThrow('no organization');
  });

  it('the sample statement pays open invoices by reference and IBAN, and queues the rest', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const em = db.orm.em.fork();
    for (const ref of ['1245', '2348236', '12344', '12357', '12360']) {
      const inv = await createInvoice(em, t, { billDate: today });
      await db.sql(`update purchase_invoice set payment_reference = $2 where id = $1`, [
        inv.id,
        ref,
      ]);
    }
    const xml = await sampleStatement(db.orm.em.fork(), t.org.slug, today);
    const file = path.join(dir, 'sample.xml');
    fs.writeFileSync(file, xml);
    const r = await run([file]);
    // Four by reference; the fifth referenced invoice is paid in part, the fee matches nothing.
    expect(r.lines).toEqual([
      'sample.xml: imported 1 statement(s), 7 new entries (0 seen before), 4 matched, 2 queued',
    ]);
    const [s] = await db.sql<{ balance_warning: string | null }>(
      `select balance_warning from bank_statement where statement_id like $1`,
      [`%-FI8529501800030574`],
    );
    expect(s.balance_warning).toBeNull();
  });
});
