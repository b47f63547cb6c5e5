import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from './config.js';
import { openDatabase } from './database.js';
import { createLogger } from './logger.js';
import { initOrm, migrate } from './orm.js';

const usage = `Usage: pnpm ledgerlink <command>

Commands:
  migrate                                  apply pending migrations
  seed [--force]                           seed demo data (only into an empty database unless --force)
  user create --email E --name N --password P [--org SLUG --role ROLE]
  token create --org SLUG --scopes read,write,export [--name NAME]   prints the token as its last line
  bank import FILE... --org SLUG [--as EMAIL]   import camt.053/camt.054 bank statements
  import FILE|FOLDER... --org SLUG [--as EMAIL]   import e-invoices (Peppol BIS 3 / EN 16931 UBL)
  bank sample --org SLUG [--out FILE]      write a sample camt.053 paying some open invoices (demo)
  secrets reencrypt                        seal every stored connection secret with LEDGERLINK_SECRET_KEY
                                           (after a rotation; the old key in LEDGERLINK_SECRET_KEY_PREVIOUS)
  worker                                   run a transfer worker alone (several may share one database)
  backup [--file F]                        pg_dump the database (default ledgerlink-<time>.dump)
  restore --file F [--force]               pg_restore a backup into an empty database (--force: replace it)
  schema:emit                              write schema/schema.graphql
  migration:create [--blank]               generate a migration from entity changes
                                           (--blank: an empty one, for hand-written SQL)`;

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help') {
    console.log(usage);
    return;
  }
  const config = loadConfig();
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn', 'ledgerlink-cli');
  const args = parseFlags(rest);

  if (command === 'schema:emit') {
    const { emitSchemaFile } = await import('./schema.js');
    const file = await emitSchemaFile();
    console.log(`wrote ${file}`);
    return;
  }

  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    port: config.embeddedPgPort,
    log,
  });
  if (command === 'backup' || command === 'restore') {
    try {
      await backupCommand(command, db.url, args.flags, log);
    } finally {
      await db.stop();
    }
    return;
  }
  // A worker holds a connection per call in flight to the (built-in) ledger, plus its claims,
  // records and heartbeats: a pool smaller than that starves the heartbeat, and the sweeper then
  // takes live transfers for orphans.
  const poolMax =
    command === 'worker'
      ? Math.max(10, config.worker.jobConcurrency * config.worker.sendConcurrency + 6)
      : undefined;
  const orm = await initOrm(db.url, log, poolMax);
  try {
    switch (command) {
      case 'migrate': {
        const applied = await migrate(orm);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'migrations are current');
        break;
      }
      case 'migration:create': {
        await migrate(orm);
        const blank = args.flags.blank === true;
        const result = await orm.getMigrator().createMigration(undefined, blank);
        if (!blank && !result.diff.up.length) {
          console.log('no changes: entities match the migrations');
          break;
        }
        registerMigration(result.fileName);
        console.log(`created ${result.fileName}`);
        break;
      }
      case 'seed': {
        await migrate(orm);
        const { seedDemoData } = await import('./seeders/demo.seeder.js');
        const done = await seedDemoData(orm, { force: args.flags.force === true });
        console.log(done ? 'seeded demo data' : 'database not empty: skipped (use --force)');
        break;
      }
      case 'user': {
        if (args.positional[0] !== 'create') throw new UsageError('user create');
        await migrate(orm);
        const { createUserCommand } = await import('./modules/users/user.cli.js');
        console.log(await createUserCommand(orm.em.fork(), args.flags));
        break;
      }
      case 'token': {
        if (args.positional[0] !== 'create') throw new UsageError('token create');
        await migrate(orm);
        const { createTokenCommand } = await import('./modules/api-clients/api-client.cli.js');
        const { summary, token } = await createTokenCommand(orm.em.fork(), args.flags);
        console.error(summary);
        console.log(token);
        break;
      }
      case 'bank': {
        if (args.positional[0] === 'sample' && typeof args.flags.org === 'string') {
          const { sampleStatement } =
            await import('./modules/bank-statements/bank-statement.sample.js');
          const xml = await sampleStatement(
            orm.em.fork(),
            args.flags.org,
            new Date().toISOString().slice(0, 10),
          );
          if (typeof args.flags.out === 'string') {
            fs.writeFileSync(args.flags.out, xml);
            console.log(`wrote ${args.flags.out}`);
          } else console.log(xml);
          break;
        }
        if (args.positional[0] !== 'import') throw new UsageError('bank import | bank sample');
        await migrate(orm);
        const { createAccountingSystem } = await import('./accounting/create-accounting.js');
        const { registerAutomaticTransfers } =
          await import('./modules/transfers/transfer.automation.js');
        const { bankImportCommand } =
          await import('./modules/bank-statements/bank-statement.cli.js');
        registerAutomaticTransfers();
        const { accounting } = await createAccountingSystem(orm, { ...config, faults: undefined });
        const { lines, failed } = await bankImportCommand(
          orm.em.fork(),
          accounting,
          args.positional.slice(1),
          args.flags,
        );
        for (const line of lines) console.log(line);
        if (failed) process.exitCode = 1;
        break;
      }
      case 'secrets': {
        if (args.positional[0] !== 'reencrypt') throw new UsageError('secrets reencrypt');
        await migrate(orm);
        const { reencryptSecrets } =
          await import('./modules/accounting-connections/secrets.cli.js');
        const { SecretBox } = await import('./modules/accounting-connections/secret-box.js');
        const box = new SecretBox(config.secretKeys.current, config.secretKeys.previous);
        const { reencrypted, current } = await reencryptSecrets(orm.em.fork(), box);
        console.log(
          `re-encrypted ${reencrypted} secret(s) with key ${box.current.id}; ${current} already current`,
        );
        break;
      }
      case 'import': {
        await migrate(orm);
        const { createAccountingSystem } = await import('./accounting/create-accounting.js');
        const { einvoiceImportCommand } = await import('./modules/einvoices/einvoice.cli.js');
        const { accounting } = await createAccountingSystem(orm, { ...config, faults: undefined });
        const { lines, failed } = await einvoiceImportCommand(
          orm.em.fork(),
          accounting,
          args.positional,
          args.flags,
        );
        for (const line of lines) console.log(line);
        if (failed) process.exitCode = 1;
        break;
      }
      case 'worker': {
        await migrate(orm);
        const { runWorkerProcess } = await import('./worker-process.js');
        await runWorkerProcess(config, orm, log, db);
        return;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } finally {
    if (command !== 'worker') {
      await orm.close(true).catch(() => {});
      await db.stop();
    }
  }
}

class UsageError extends Error {}

/** A --file given to `pnpm ledgerlink` is relative to where pnpm was started, not server/. */
function userPath(file: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
}

async function backupCommand(
  command: 'backup' | 'restore',
  url: string,
  flags: Record<string, string | true>,
  log: ReturnType<typeof createLogger>,
) {
  const { backupDatabase, defaultBackupFile, restoreDatabase } = await import('./backup/backup.js');
  if (command === 'backup') {
    if (flags.file === true) throw new UsageError('backup --file needs a file name');
    const result = await backupDatabase(url, userPath(flags.file ?? defaultBackupFile()));
    console.log(`backed up to ${result.file} (${result.bytes} bytes, ${result.tool})`);
    return;
  }
  if (typeof flags.file !== 'string') throw new UsageError('restore needs --file F');
  const result = await restoreDatabase(url, userPath(flags.file), { force: flags.force === true });
  // A backup from an older release is brought up to this one's schema.
  const orm = await initOrm(url, log);
  try {
    const applied = await migrate(orm, log);
    console.log(
      `restored ${result.tables} tables from ${userPath(flags.file)} (${result.tool})` +
        (applied.length ? `; then applied ${applied.join(', ')}` : ''),
    );
  } finally {
    await orm.close(true);
  }
}

function parseFlags(rest: string[]) {
  const flags: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a.startsWith('--')) {
      const name = a.slice(2);
      const next = rest[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        flags[name] = next;
        i++;
      } else flags[name] = true;
    } else positional.push(a);
  }
  return { flags, positional };
}

/** Adds a newly generated migration class to migrations/index.ts (migrationsList). */
function registerMigration(fileName: string) {
  const dir = path.join(process.cwd(), 'src', 'migrations');
  const base = path.basename(fileName).replace(/\.ts$/, '');
  const index = path.join(dir, 'index.ts');
  const names = fs
    .readdirSync(dir)
    .filter((f) => /^Migration\d+.*\.ts$/.test(f))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
  if (!names.includes(base)) names.push(base);
  const body =
    `// Generated by \`pnpm migration:create\`: the ordered list of committed migrations.\n` +
    names.map((n) => `import { ${n} } from './${n}.js';`).join('\n') +
    `\n\nexport const MIGRATIONS = [\n${names.map((n) => `  { name: '${n}', class: ${n} },`).join('\n')}\n];\n`;
  fs.writeFileSync(index, body);
}

main(process.argv.slice(2)).catch((err) => {
  if (err instanceof UsageError) {
    console.error(`${err.message}\n\n${usage}`);
  } else {
    console.error(err instanceof Error ? err.message : err);
  }
  process.exitCode = 1;
});
