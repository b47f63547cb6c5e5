// Runs before any test: the browser tests drive a real Chromium, so `pnpm test` obtains one when
// it is missing (Debian's `chromium` through apt-get, as root or with password-less sudo), or
// stops at once with one line naming the command to run. Browser tests are never skipped.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const configured = process.env.LEDGERLINK_CHROMIUM;
const executable = configured || '/usr/bin/chromium';

function works(file) {
  if (!fs.existsSync(file)) return false;
  const probe = spawnSync(file, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return probe.status === 0;
}

function fail(message) {
  console.error(message);
  process.exit(1);
}

if (works(executable)) process.exit(0);
if (configured) {
  fail(
    `LEDGERLINK_CHROMIUM=${configured} is not a Chromium that runs: point it at one, or unset it.`,
  );
}

const apt = fs.existsSync('/usr/bin/apt-get');
const isRoot = process.getuid?.() === 0;
const sudo =
  !isRoot && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0
    ? ['sudo', '-n']
    : null;
const installCommand = 'sudo apt-get update && sudo apt-get install -y chromium';
if (!apt || (!isRoot && !sudo)) {
  fail(
    `The browser tests need Chromium at ${executable}: run \`${apt ? installCommand : 'your package manager to install chromium'}\`` +
      ' (or set LEDGERLINK_CHROMIUM to a Chromium binary), then `pnpm test` again.',
  );
}

console.log("Chromium is missing; installing Debian's chromium for the browser tests (apt-get)…");
const prefix = sudo ?? [];
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [
  ['apt-get', 'update'],
  ['apt-get', 'install', '-y', '--no-install-recommends', 'chromium'],
]) {
  const [cmd, ...rest] = [...prefix, ...args];
  const run = spawnSync(cmd, rest, { stdio: ['ignore', 'inherit', 'inherit'], env });
  if (run.status !== 0) {
    fail(
      `Installing Chromium failed (${args.join(' ')}): run \`${installCommand}\` yourself, then \`pnpm test\` again.`,
    );
  }
}
if (!works(executable))
  fail(`Chromium was installed but ${executable} does not run: run \`${installCommand}\`.`);
console.log(
  `Chromium ready: ${spawnSync(executable, ['--version'], { encoding: 'utf8' }).stdout.trim()}`,
);
