/**
 * The production build and the deployment topology of compose.yaml, as plain processes (no
 * container runtime is needed): `pnpm build`, then two API replicas (`NODE_ENV=production pnpm
 * start` with LEDGERLINK_WORKER=off) and one worker (`pnpm ledgerlink worker`) starting together
 * on one new, empty database, every one of them the compiled JavaScript on plain node. A
 * round-robin client (what the load balancer does) signs in on one replica, exports through
 * both, reads the results back from the other, and the worker transfers the exports.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { toGlobalId } from '../../server/src/common/ids.js';
import { initOrm } from '../../server/src/orm.js';
import { createInvoice, createTenant, TEST_PASSWORD } from '../../server/src/testing/factories.js';
import { FAST_WORKER_ENV } from '../../server/src/testing/transfers.js';
import { buildWebIfStale } from '../e2e/support.js';
import { EXPORT_INVOICES, gqlClient, login } from '../helpers/gql.js';
import {
  freePort,
  repoRoot,
  spawnLedgerlink,
  stopProcess,
  waitForReady,
  type LedgerlinkProcess,
} from '../helpers/processes.js';

const procs: LedgerlinkProcess[] = [];
let databaseUrl = '';
let dropDatabase = async () => {};

/** Every process here reads `/proc/<pid>/cmdline`: the compiled server runs without tsx. */
function commandLine(pid: number): string {
  return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
}

beforeAll(async () => {
  // What `pnpm build` does: the SPA (skipped when web/dist is current) and the server's tsc.
  buildWebIfStale();
  execFileSync('pnpm', ['--filter', '@ledgerlink/server', 'build'], {
    cwd: repoRoot,
    stdio: 'pipe',
  });
  // A new, empty database: the three processes race to migrate it (orm.ts: an advisory lock).
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await admin.connect();
  const name = `deploy_${Date.now().toString(36)}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(inject('pgAdminUrl'));
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
  dropDatabase = async () => {
    const client = new pg.Client({ connectionString: inject('pgAdminUrl') });
    await client.connect();
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  };
}, 180_000);

afterAll(async () => {
  await Promise.all(procs.map((p) => stopProcess(p).catch(() => {})));
  await dropDatabase().catch(() => {});
});

describe('the production build behind a round-robin balancer', () => {
  it('two compiled API replicas and a compiled worker serve, share sessions and transfer', async () => {
    const env = { DATABASE_URL: databaseUrl, LEDGERLINK_SEED: 'none', ...FAST_WORKER_ENV };
    const ports = [await freePort(), await freePort()];
    const apis = ports.map((port, i) =>
      spawnLedgerlink(
        'main',
        `api ${i + 1}`,
        { ...env, PORT: String(port), LEDGERLINK_WORKER: 'off' },
        { production: true },
      ),
    );
    const worker = spawnLedgerlink('worker', 'worker', env, { production: true });
    procs.push(...apis, worker);
    const bases = ports.map((port) => `http://127.0.0.1:${port}`);
    await Promise.all(bases.map((base, i) => waitForReady(base, apis[i])));
    for (const p of procs) {
      expect(commandLine(p.pid)).not.toMatch(/tsx/);
      expect(commandLine(p.pid)).toMatch(p === worker ? /run\.mjs cli worker/ : /start\.mjs/);
    }

    // The SPA from the compiled server: index.html, its assets, and client-side routes.
    for (const base of bases) {
      const index = await fetch(`${base}/`);
      expect(index.status).toBe(200);
      const html = await index.text();
      expect(html).toContain('<div id="app">');
      const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(asset, html).toBeTruthy();
      const script = await fetch(`${base}${asset}`);
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toMatch(/javascript/);
      const route = await fetch(`${base}/invoices?tab=TRANSFERABLE`);
      expect(await route.text()).toBe(html);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
    }

    const orm = await initOrm(databaseUrl);
    try {
      const tenant = await createTenant(orm, 'deploy');
      const invoices = [];
      for (let i = 0; i < 6; i++) invoices.push(await createInvoice(orm.em.fork(), tenant));

      // Round robin: each request to the next replica, as the balancer in compose.yaml does.
      let next = 0;
      const nextGraphql = () => `${bases[next++ % bases.length]}/graphql`;
      const cookie = await login(nextGraphql(), tenant.users.accountant.email, TEST_PASSWORD);
      const session = gqlClient(nextGraphql, { cookie });
      const viewer = await session.ok(`{ viewer { user { email } organizations { id } } }`);
      expect(viewer.viewer.user.email).toBe(tenant.users.accountant.email);

      const api = gqlClient(nextGraphql, { token: tenant.tokens.export });
      for (const pair of [invoices.slice(0, 3), invoices.slice(3)]) {
        const exported = await api.ok(EXPORT_INVOICES, {
          input: {
            organizationId: tenant.orgId,
            invoiceIds: pair.map((inv) => toGlobalId('PurchaseInvoice', inv.id)),
            idempotencyKey: randomUUID(),
          },
        });
        expect(exported.exportInvoices.userErrors).toEqual([]);
        expect(exported.exportInvoices.transfers).toHaveLength(3);
      }

      // Read back through both replicas until the worker has transferred every export.
      const deadline = Date.now() + 60_000;
      let statuses: string[] = [];
      while (Date.now() < deadline) {
        statuses = [];
        for (const inv of invoices) {
          const { invoice } = await session.ok(
            `query($id: ID!) { invoice(id: $id) { transferStatus ledgerEntry { reference } } }`,
            { id: toGlobalId('PurchaseInvoice', inv.id) },
          );
          statuses.push(invoice.transferStatus);
          if (invoice.transferStatus === 'TRANSFERRED')
            expect(invoice.ledgerEntry.reference).toBe(inv.invoiceNumber);
        }
        if (statuses.every((s) => s === 'TRANSFERRED')) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(statuses, worker.tail()).toEqual(invoices.map(() => 'TRANSFERRED'));
      const counts = await session.ok(
        `query($org: ID!) { invoiceTabCounts(organizationId: $org) { tab count } }`,
        { org: tenant.orgId },
      );
      const transferred = counts.invoiceTabCounts.find(
        (c: { tab: string }) => c.tab === 'TRANSFERRED',
      );
      expect(transferred?.count).toBe(invoices.length);
    } finally {
      await orm.close(true);
    }

    for (const p of procs) expect((await stopProcess(p)).code, p.tail()).toBe(0);
    procs.length = 0;
  });

  it('refuses to start in production without a build, in one line', () => {
    // A copy of the launcher beside an empty dist/ stands for a checkout that was never built.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlink-unbuilt-'));
    try {
      fs.mkdirSync(path.join(dir, 'scripts'));
      fs.copyFileSync(
        path.join(repoRoot, 'server', 'scripts', 'run.mjs'),
        path.join(dir, 'scripts', 'run.mjs'),
      );
      let stderr = '';
      let status: number | null = 0;
      try {
        execFileSync(process.execPath, [path.join(dir, 'scripts', 'run.mjs'), 'main'], {
          env: { ...process.env, NODE_ENV: 'production' },
          stdio: 'pipe',
        });
      } catch (err) {
        const e = err as { status: number | null; stderr: Buffer };
        status = e.status;
        stderr = e.stderr.toString();
      }
      expect(status).toBe(1);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/dist\/main\.js is missing.*run pnpm build first/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
