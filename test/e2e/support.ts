/**
 * What the browser tests stand on: the SPA built, a real Ledgerlink process with the demo data on
 * a fresh database, and Debian's Chromium driven by playwright-core (STACK.md, pitfall 10).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { FAST_WORKER_ENV } from '../../server/src/testing/transfers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
const webDir = path.join(repoRoot, 'web');
const require = createRequire(import.meta.url);

export const DEMO_PASSWORD = 'ledgerlink-demo';
export const SCREENSHOT_DIR = path.join(repoRoot, 'test', 'artifacts', 'screenshots');
export const DOCS_SCREENSHOT_DIR = path.join(repoRoot, 'docs', 'screenshots');
/**
 * LEDGERLINK_UPDATE_DOCS_SCREENSHOTS=1 rewrites the README's images in docs/screenshots/; without
 * it a test run leaves the working tree clean (every run renders slightly different pixels).
 */
export const UPDATE_DOCS_SCREENSHOTS = process.env.LEDGERLINK_UPDATE_DOCS_SCREENSHOTS === '1';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds web/dist unless it is newer than every source of it. */
export function buildWebIfStale(): void {
  const built = path.join(webDir, 'dist', 'index.html');
  const sources = Math.max(
    newestMtime(path.join(webDir, 'src')),
    ...['index.html', 'vite.config.ts', 'package.json'].map(
      (f) => fs.statSync(path.join(webDir, f)).mtimeMs,
    ),
  );
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs > sources) return;
  execFileSync('pnpm', ['--filter', '@ledgerlink/web', 'build'], {
    cwd: repoRoot,
    stdio: 'pipe',
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface DemoServer {
  base: string;
  /** The last lines the process printed. */
  tail(): string;
  stop(): Promise<void>;
}

/**
 * `server/src/main.ts` in its own process (API, SPA and transfer worker), seeding the demo data
 * into `databaseUrl`. Node runs tsx's loader itself, so the pid is the server's.
 */
export async function startDemoServer(databaseUrl: string): Promise<DemoServer> {
  const port = await freePort();
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  const child: ChildProcess = spawn(process.execPath, ['--import', tsx, 'src/main.ts'], {
    cwd: path.join(repoRoot, 'server'),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      LEDGERLINK_SEED: 'demo',
      ...FAST_WORKER_ENV,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim()) lines.push(line.slice(0, 500));
      if (lines.length > 100) lines.shift();
    }
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited) throw new Error(`the server exited before it was ready:\n${lines.join('\n')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server was not ready after 90 s:\n${lines.join('\n')}`);
    }
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    base,
    tail: () => lines.join('\n'),
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/**
 * Debian's Chromium (or LEDGERLINK_CHROMIUM; `pnpm test` installs it when missing), launched
 * exactly as STACK.md pitfall 10 says, with its own profile.
 */
export async function launchBrowser(): Promise<BrowserContext> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerlink-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.LEDGERLINK_CHROMIUM || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 860 },
    locale: 'en-US',
    timezoneId: 'Europe/Helsinki',
  });
  // Generous: CI machines have two cores and other suites may run beside this one.
  context.setDefaultTimeout(30_000);
  const close = context.close.bind(context);
  context.close = async (...args) => {
    await close(...args);
    fs.rmSync(userDataDir, { recursive: true, force: true });
  };
  return context;
}

/** Signs in through the login page and waits for the app shell. */
export async function signIn(page: Page, base: string, email: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('sign-out').waitFor();
}

/**
 * Saves a screenshot under test/artifacts/screenshots/ and, for the ones the README shows, also
 * under docs/screenshots/ when UPDATE_DOCS_SCREENSHOTS is on (the visible viewport only, which
 * keeps each file small).
 */
export async function screenshot(
  page: Page,
  name: string,
  options: { docs?: boolean; fullPage?: boolean } = {},
): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Let tooltips fade in, spinners settle and fonts render.
  await page.waitForTimeout(300);
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  const viewport = page.viewportSize();
  if (options.fullPage && viewport) {
    // A window as tall as the page (not Playwright's fullPage stitching), so the sticky
    // sidebar spans the whole picture.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: viewport.width, height: Math.min(height, 1800) });
  }
  await page.screenshot({ path: file, animations: 'disabled' });
  if (options.fullPage && viewport) await page.setViewportSize(viewport);
  if (options.docs && UPDATE_DOCS_SCREENSHOTS) {
    fs.mkdirSync(DOCS_SCREENSHOT_DIR, { recursive: true });
    fs.copyFileSync(file, path.join(DOCS_SCREENSHOT_DIR, `${name}.png`));
  }
}

/** A GraphQL call with the page's session cookie (for looking things up, never for the steps under test). */
export async function gql<T = Record<string, unknown>>(
  page: Page,
  base: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const res = await page.request.post(`${base}/graphql`, {
    headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
    data: { query, variables },
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (!body.data || body.errors?.length) {
    throw new Error(`GraphQL failed (${res.status()}): ${JSON.stringify(body.errors)}`);
  }
  return body.data;
}

export interface GraphQLResponse<T> {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/**
 * A GraphQL call over plain HTTP with `Authorization: Bearer <token>` and no cookie, the way a
 * partner's integration calls the API (for the steps under test, unlike gql()).
 */
export async function gqlWithToken<T = Record<string, unknown>>(
  base: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: res.status, ...body };
}

/** Runs axe-core in the page and returns the violations (rule id, impact, first targets). */
export async function axeViolations(page: Page): Promise<string[]> {
  // A dialog or toast still fading in has, for axe, the contrast of its half-transparent frame:
  // measure the settled page, not an animation frame.
  await page.waitForFunction(
    () =>
      document
        .getAnimations()
        .every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
    undefined,
    { timeout: 5_000 },
  );
  const axePath = require.resolve('axe-core/axe.min.js');
  await page.addScriptTag({ path: axePath });
  type Violation = { id: string; impact: string; nodes: { target: string[] }[] };
  type Axe = { run(context: unknown, options: unknown): Promise<{ violations: Violation[] }> };
  const violations = await page.evaluate(async () => {
    const { axe } = window as unknown as { axe: Axe };
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')}`,
    );
  });
  return violations;
}
