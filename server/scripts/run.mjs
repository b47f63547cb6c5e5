// Runs the server (`main`) or the command line (`cli`) in this process: with NODE_ENV=production
// the compiled JavaScript under dist/ (`pnpm build`) on plain node; otherwise the TypeScript
// sources through tsx's loader, as in development.
//
//   node scripts/run.mjs main|cli [args...]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Starts `entry` (main or cli) with `args` as its command line; returns once it is loaded. */
export async function run(entry, args = []) {
  if (entry !== 'main' && entry !== 'cli') {
    console.error(`usage: node scripts/run.mjs main|cli [args...] (got "${entry}")`);
    process.exit(2);
  }
  const production = process.env.NODE_ENV === 'production';
  const file = production
    ? path.join(serverDir, 'dist', `${entry}.js`)
    : path.join(serverDir, 'src', `${entry}.ts`);
  if (production && !fs.existsSync(file)) {
    console.error(
      `Ledgerlink: ${path.relative(path.dirname(serverDir), file)} is missing; NODE_ENV=production runs the compiled server: run pnpm build first`,
    );
    process.exit(1);
  }
  // As under `pnpm --filter @ledgerlink/server …`: relative paths (LEDGERLINK_DATA_DIR) and tsx's
  // tsconfig.json (legacy decorators) are found from the server's directory.
  process.chdir(serverDir);
  if (!production) await import('tsx');
  // The entry point reads its arguments from process.argv, as if node had started it directly.
  process.argv = [process.argv[0], file, ...args];
  await import(pathToFileURL(file).href);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [entry, ...args] = process.argv.slice(2);
  await run(entry, args);
}
