/**
 * A second Ledgerlink server as a real process (`tsx src/main.ts`) on a given database: another
 * replica with its own event loop, pool and LISTEN connection, as in a scaled-out deployment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ReplicaProcess {
  pid: number;
  url: string;
  /** Its /graphql endpoint. */
  graphqlUrl: string;
  /** What it wrote to stderr/stdout (for failures). */
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function spawnTsx(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(
    process.execPath,
    [path.join(serverDir, 'node_modules', 'tsx', 'dist', 'cli.mjs'), ...args],
    {
      cwd: serverDir,
      env: { ...process.env, NODE_ENV: 'test', LEDGERLINK_SEED: 'none', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** A transfer worker alone (`tsx src/cli.ts worker`), as workers run beside API replicas. */
export async function startWorkerProcess(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<{ pid: number; output(): string; stop(): Promise<void> }> {
  let output = '';
  const child = spawnTsx(['src/cli.ts', 'worker'], { DATABASE_URL: databaseUrl, ...env });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker not running after 60 s:\n${output}`)),
      60_000,
    );
    const append = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      if (output.includes('transfer worker running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', append);
    child.stderr!.on('data', append);
    child.once('exit', (code) => reject(new Error(`worker exited (${code}):\n${output}`)));
  });
  return { pid: child.pid!, output: () => output, stop: () => stopChild(child, exited) };
}

export async function startReplicaProcess(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<ReplicaProcess> {
  const port = await freePort();
  let output = '';
  const child = spawnTsx(['src/main.ts'], {
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    ...env,
  });
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`replica exited (${child.exitCode}) before it was ready:\n${output}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`replica not ready after 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid: child.pid!,
    url,
    graphqlUrl: `${url}/graphql`,
    output: () => output,
    stop: () => stopChild(child, exited),
  };
}
