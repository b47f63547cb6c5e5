// `pnpm start`. In development (the default) it builds the SPA and runs the server from its
// TypeScript sources with tsx; with NODE_ENV=production it runs what `pnpm build` compiled, on
// plain node, and builds nothing. Either way the server runs in this process.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

if (process.env.NODE_ENV === 'production') {
  const missing = ['server/dist/main.js', 'web/dist/index.html'].filter(
    (f) => !fs.existsSync(path.join(root, f)),
  );
  if (missing.length) {
    console.error(
      `Ledgerlink: no production build (${missing.join(', ')} missing): run pnpm build first`,
    );
    process.exit(1);
  }
} else {
  try {
    execSync('pnpm --filter @ledgerlink/web build', { cwd: root, stdio: 'inherit' });
  } catch {
    process.exit(1);
  }
}
const { run } = await import('../server/scripts/run.mjs');
await run('main', process.argv.slice(2));
