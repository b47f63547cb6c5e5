/**
 * pg_dump and pg_restore: the embedded PostgreSQL package ships only the server (initdb,
 * pg_ctl, postgres), so the client tools come from the system. The newest one found is used,
 * and it must be at least the server's major version (pg_dump refuses newer servers).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface PgTool {
  /** Absolute path, or the bare name found on PATH. */
  file: string;
  major: number;
  version: string;
}

export class PgToolError extends Error {}

/** Directories that distributions install versioned client tools into. */
function versionedDirs(): string[] {
  const dirs: string[] = [];
  for (const [base, pattern] of [
    ['/usr/lib/postgresql', /^\d+$/], // Debian, Ubuntu
    ['/usr', /^pgsql-\d+$/], // RHEL and friends (PGDG)
    ['/opt/homebrew/opt', /^(postgresql|libpq)(@\d+)?$/], // macOS, Homebrew
  ] as const) {
    if (!fs.existsSync(base)) continue;
    for (const name of fs.readdirSync(base)) {
      if (pattern.test(name)) dirs.push(path.join(base, name, 'bin'));
    }
  }
  return dirs;
}

function versionOf(file: string): PgTool | undefined {
  try {
    const out = execFileSync(file, ['--version'], { encoding: 'utf8', stdio: 'pipe' });
    const match = /\(PostgreSQL\)\s+(\d+)(\.\d+)?/.exec(out);
    if (!match) return undefined;
    return { file, major: Number(match[1]), version: `${match[1]}${match[2] ?? ''}` };
  } catch {
    return undefined;
  }
}

/**
 * The newest `name` (pg_dump or pg_restore): from LEDGERLINK_PG_BIN alone when it is set, else
 * from PATH and the distributions' versioned directories.
 */
export function findPgTool(
  name: 'pg_dump' | 'pg_restore',
  env: NodeJS.ProcessEnv = process.env,
): PgTool | undefined {
  const candidates = env.LEDGERLINK_PG_BIN
    ? [path.join(env.LEDGERLINK_PG_BIN, name)]
    : [name, ...versionedDirs().map((d) => path.join(d, name))];
  let best: PgTool | undefined;
  for (const file of candidates) {
    if (file !== name && !fs.existsSync(file)) continue;
    const tool = versionOf(file);
    if (tool && (!best || tool.major > best.major)) best = tool;
  }
  return best;
}

/** What to install for client tools of `major` (one line, for the error message). */
export function installHint(major: number): string {
  return (
    `install the PostgreSQL ${major} client tools (Debian/Ubuntu: postgresql-client-${major}, from ` +
    `the PostgreSQL project's apt repository when the distribution's is older; RHEL: postgresql${major}; ` +
    `macOS: brew install postgresql@${major}) or set LEDGERLINK_PG_BIN to the directory of pg_dump ${major} or newer`
  );
}

/** The tool, checked against the server's major version; a PgToolError says what to install. */
export function requirePgTool(
  name: 'pg_dump' | 'pg_restore',
  serverMajor: number,
  env: NodeJS.ProcessEnv = process.env,
): PgTool {
  const tool = findPgTool(name, env);
  if (!tool) {
    throw new PgToolError(
      `${name} not found${env.LEDGERLINK_PG_BIN ? ` in LEDGERLINK_PG_BIN=${env.LEDGERLINK_PG_BIN}` : ''}: ${installHint(serverMajor)}`,
    );
  }
  if (tool.major < serverMajor) {
    throw new PgToolError(
      `${name} ${tool.version} (${tool.file}) is older than the database server (PostgreSQL ${serverMajor}) and cannot ${name === 'pg_dump' ? 'dump' : 'restore into'} it: ${installHint(serverMajor)}`,
    );
  }
  return tool;
}
