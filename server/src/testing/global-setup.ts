import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { EmbeddedPostgres } from '../embedded-postgres.js';
import { initOrm, migrate } from '../orm.js';

export const TEMPLATE_DB = 'ledgerlink_template';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * One PostgreSQL for the whole run: the embedded one, or TEST_DATABASE_URL (an external
 * server, to run the suite on another PostgreSQL version). Migrations run once into a template
 * database; every test file clones it (see testing/db.ts).
 */
export default async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_URL;
  let stop = async () => {};
  if (!adminUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlink-test-pg-'));
    const port = await freePort();
    const server = new EmbeddedPostgres({
      databaseDir: dir,
      port,
      user: 'ledgerlink',
      password: 'ledgerlink',
      // Durability is not what these tests measure.
      flags: [
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=300',
      ],
    });
    await server.initialise();
    await server.start();
    adminUrl = `postgres://ledgerlink:ledgerlink@127.0.0.1:${port}/postgres`;
    stop = async () => {
      await server.stop();
      fs.rmSync(server.dataDir, { recursive: true, force: true });
    };
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${TEMPLATE_DB}`);
  await admin.query(`create database ${TEMPLATE_DB}`);
  await admin.end();
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${TEMPLATE_DB}`;
  const orm = await initOrm(templateUrl.toString());
  await migrate(orm);
  await orm.close(true);

  project.provide('pgAdminUrl', adminUrl);
  return stop;
}
