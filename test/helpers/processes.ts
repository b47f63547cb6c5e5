/**
 * Ledgerlink as real processes: `server/src/main.ts` (API + worker) and `server/src/cli.ts worker`,
 * run with node and tsx's loader in one process (the `tsx` CLI would put a second process
 * between us and the server, and a SIGKILL would miss the one that matters). With
 * `production: true`, what `NODE_ENV=production pnpm start` and `pnpm ledgerlink worker` run
 * instead: the compiled server/dist on plain node (needs `pnpm build`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
const serverDir = path.join(repoRoot, 'server');
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

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

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LedgerlinkProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  exited: Promise<Exit>;
  /** The last lines it printed (stdout and stderr). */
  tail(): string;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts `main` (API + worker unless LEDGERLINK_WORKER=off) or `worker` with this environment. */
export function spawnLedgerlink(
  kind: 'main' | 'worker',
  name: string,
  env: Record<string, string>,
  opts: { nodeArgs?: string[]; production?: boolean } = {},
): LedgerlinkProcess {
  const entry = opts.production
    ? kind === 'main'
      ? [path.join(repoRoot, 'scripts', 'start.mjs')]
      : ['scripts/run.mjs', 'cli', 'worker']
    : ['--import', tsxLoader, ...(kind === 'main' ? ['src/main.ts'] : ['src/cli.ts', 'worker'])];
  const args = [...(opts.nodeArgs ?? []), ...entry];
  const child = spawn(process.execPath, args, {
    cwd: serverDir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: opts.production ? 'production' : 'test',
      LOG_LEVEL: 'warn',
      // One key for every process of a run (production requires one; API and workers must agree).
      LEDGERLINK_SECRET_KEY: 'c2VjcmV0LWtleS1vZi10aGUtdGVzdHMtb25seS0zMmI=',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      lines.push(line.length > 600 ? `${line.slice(0, 600)}…` : line);
      if (lines.length > 200) lines.shift();
    }
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    name,
    child,
    pid: child.pid!,
    exited,
    tail: () => lines.join('\n'),
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

/** Waits until `GET {base}/readyz` answers 200, or the process exits, or time runs out. */
export async function waitForReady(
  base: string,
  proc: LedgerlinkProcess,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exit: Exit | undefined;
  void proc.exited.then((e) => (exit = e));
  while (Date.now() < deadline) {
    if (exit)
      throw new Error(
        `${proc.name} exited (${JSON.stringify(exit)}) before it was ready:\n${proc.tail()}`,
      );
    try {
      const res = await fetch(`${base}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${proc.name} not ready after ${timeoutMs} ms:\n${proc.tail()}`);
}

/** Sends SIGTERM and waits; SIGKILL if it does not stop in time. */
export async function stopProcess(proc: LedgerlinkProcess, timeoutMs = 20_000): Promise<Exit> {
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
  try {
    return await proc.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** The exit code of a worker killed by an injected `crash` fault (fault-injecting-accounting.ts). */
export const CRASH_EXIT_CODE = 137;

export interface SupervisedExit extends Exit {
  name: string;
  generation: number;
  tail: string;
}

/**
 * Keeps `count` worker processes running: one that exits is started again (a new generation,
 * with a new environment, e.g. another fault seed) until `stop()`.
 */
export class WorkerSupervisor {
  readonly exits: SupervisedExit[] = [];
  private readonly running = new Map<number, LedgerlinkProcess>();
  private stopping = false;
  private generation = 0;
  private readonly watchers: Promise<void>[] = [];

  constructor(
    private readonly count: number,
    private readonly envFor: (slot: number, generation: number) => Record<string, string>,
    private readonly restartDelayMs = 100,
  ) {}

  start(): void {
    for (let slot = 0; slot < this.count; slot++) this.watchers.push(this.keep(slot));
  }

  private async keep(slot: number): Promise<void> {
    while (!this.stopping) {
      const generation = ++this.generation;
      const proc = spawnLedgerlink(
        'worker',
        `worker ${slot}.${generation}`,
        this.envFor(slot, generation),
      );
      this.running.set(slot, proc);
      const exit = await proc.exited;
      this.running.delete(slot);
      if (this.stopping) break;
      this.exits.push({ name: proc.name, generation, ...exit, tail: proc.tail() });
      await new Promise((r) => setTimeout(r, this.restartDelayMs));
    }
  }

  /** Exits by injected crash so far. */
  get crashes(): number {
    return this.exits.filter((e) => e.code === CRASH_EXIT_CODE).length;
  }

  /** Exits that were not injected crashes (a worker that died of something else). */
  get unexpectedExits(): SupervisedExit[] {
    return this.exits.filter((e) => e.code !== CRASH_EXIT_CODE);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.running.values()].map((p) => stopProcess(p)));
    await Promise.all(this.watchers);
  }
}
