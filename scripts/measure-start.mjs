// Start time and memory of the server in both modes: from process start to the first
// `GET /readyz` 200, and its resident memory (RSS) once ready. Needs `pnpm build` first.
//
//   node scripts/measure-start.mjs [runs]     (default 3 runs per mode; prints the medians)
//
// Uses DATABASE_URL when set, else the embedded PostgreSQL under LEDGERLINK_DATA_DIR
// (default .data); a first, unmeasured start warms it (initdb, migrations, demo data).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const runs = Number(process.argv[2] ?? 3);
const port = 4000 + Math.floor(Math.random() * 1000) + 3000;
const modes = {
  'tsx (development)': { NODE_ENV: 'development' },
  'node (NODE_ENV=production)': { NODE_ENV: 'production' },
};

function rssMiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

async function startOnce(env) {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'server/scripts/run.mjs'), 'main'], {
    env: { ...process.env, LOG_LEVEL: 'warn', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) break;
    if (performance.now() - started > 120_000) throw new Error('not ready after 120 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  const readyMs = performance.now() - started;
  await new Promise((r) => setTimeout(r, 1000));
  const rss = rssMiB(child.pid);
  child.kill('SIGTERM');
  await exited;
  return { readyMs, rss };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (!fs.existsSync(path.join(root, 'server/dist/main.js'))) {
  console.error('measure-start: server/dist/main.js is missing: run pnpm build first');
  process.exit(1);
}
await startOnce(modes['node (NODE_ENV=production)']);
for (const [name, env] of Object.entries(modes)) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await startOnce(env));
  console.log(
    `${name}: start → /readyz 200 median ${Math.round(median(results.map((r) => r.readyMs)))} ms ` +
      `(${results.map((r) => Math.round(r.readyMs)).join(', ')}), RSS after start median ` +
      `${Math.round(median(results.map((r) => r.rss)))} MiB`,
  );
}
