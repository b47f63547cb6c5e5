import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  generateSecretKeyText,
  parseSecretKey,
  type SecretKey,
} from './modules/accounting-connections/secret-box.js';
import { loadApiLimits, type ApiLimits } from './modules/rate-limits/api-limits.js';

/** Validated runtime configuration. Every setting comes from the environment. */
export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  /** When unset, an embedded PostgreSQL is started with its data under `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPgPort: number;
  seed: 'demo' | 'none';
  logLevel: string;
  /** `LEDGERLINK_FAULTS`, parsed later by the accounting fault wrapper. */
  faults: string | undefined;
  /**
   * Keys sealing accounting-connection secrets: `LEDGERLINK_SECRET_KEY` (required in
   * production; elsewhere a key generated once into `<dataDir>/secret-key`) and, during a
   * rotation, `LEDGERLINK_SECRET_KEY_PREVIOUS`.
   */
  secretKeys: { current: SecretKey; previous: SecretKey | null; source: 'env' | 'file' };
  /** `LEDGERLINK_DEMO_ACCOUNTSIQ=on`: a local accountsIQ service, and Borealis AB connected to it. */
  demoAccountsIq: boolean;
  /** Query cost, rate and sign-in limits of the API (modules/rate-limits/api-limits.ts). */
  apiLimits: ApiLimits;
  runWorker: boolean;
  worker: {
    jobConcurrency: number;
    sendConcurrency: number;
    maxAttempts: number;
    retryBaseMs: number;
    retryCapMs: number;
    staleAfterMs: number;
    heartbeatMs: number;
    sweepIntervalMs: number;
    reconcileDelayMs: number;
  };
  sessionTtlHours: number;
  webDist: string;
  /** Timeouts and limits of the HTTP server (http/app.ts). */
  http: {
    /** Idle keep-alive sockets stay open this long: above a load balancer's idle timeout (60 s is common). */
    keepAliveTimeoutMs: number;
    /** Always keepAliveTimeoutMs + 1 s, so a request on a socket about to close is not cut off. */
    headersTimeoutMs: number;
    /** Larger request bodies are refused with 413 before anything runs. */
    maxBodyBytes: number;
  };
  /** `/metrics` (metrics/): on the main port with this bearer token, and/or on its own port. */
  metrics: {
    token: string | undefined;
    port: number | undefined;
    host: string;
  };
  /** GraphQL subscriptions: socket auth checks, subscriber buffers, the LISTEN connection. */
  realtime: {
    authCheckMs: number;
    /** WebSocket ping interval; a socket that has not answered by the next one is dropped. */
    keepAliveMs: number;
    /** Sockets one API token or one user may hold open on this replica. */
    maxSocketsPerCaller: number;
    subscriberBuffer: number;
    listenerPingMs: number;
    listenerReconnectMinMs: number;
    listenerReconnectMaxMs: number;
    resyncMarginMs: number;
  };
}

export class ConfigError extends Error {}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function oneOf<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  allowed: T[],
  fallback: T,
): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!allowed.includes(raw as T)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function metricsFrom(env: NodeJS.ProcessEnv, mainPort: number): Config['metrics'] {
  const token = env.LEDGERLINK_METRICS_TOKEN || undefined;
  if (token !== undefined && !/^[\x21-\x7e]{16,256}$/.test(token)) {
    throw new ConfigError(
      'LEDGERLINK_METRICS_TOKEN must be 16 to 256 visible ASCII characters (no spaces)',
    );
  }
  const rawPort = env.LEDGERLINK_METRICS_PORT;
  const port =
    rawPort === undefined || rawPort === ''
      ? undefined
      : intFrom(env, 'LEDGERLINK_METRICS_PORT', 0, 0, 65535);
  if (port !== undefined && port !== 0 && port === mainPort) {
    throw new ConfigError('LEDGERLINK_METRICS_PORT must differ from PORT');
  }
  const host = env.LEDGERLINK_METRICS_HOST || '127.0.0.1';
  if (!net.isIP(host) && !/^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(host)) {
    throw new ConfigError(
      `LEDGERLINK_METRICS_HOST must be an IP address or host name, got "${host}"`,
    );
  }
  return { token, port, host };
}

function secretKeyFrom(env: NodeJS.ProcessEnv, name: string): SecretKey | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  const key = parseSecretKey(raw);
  if (!key) throw new ConfigError(`${name} must be 32 bytes given as base64 or 64 hex digits`);
  return key;
}

/**
 * Outside production an unset key is generated once and kept beside the embedded database
 * (`<dataDir>/secret-key`, mode 0600), so a restart still opens what it sealed.
 */
function keyFileIn(dataDir: string): SecretKey {
  const file = path.join(dataDir, 'secret-key');
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, `${generateSecretKeyText()}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const key = parseSecretKey(fs.readFileSync(file, 'utf8'));
  if (!key)
    throw new ConfigError(
      `${file} does not hold a 32-byte key; delete it or set LEDGERLINK_SECRET_KEY`,
    );
  return key;
}

function secretKeysFrom(
  env: NodeJS.ProcessEnv,
  nodeEnv: Config['nodeEnv'],
  dataDir: string,
): Config['secretKeys'] {
  const current = secretKeyFrom(env, 'LEDGERLINK_SECRET_KEY');
  const previous = secretKeyFrom(env, 'LEDGERLINK_SECRET_KEY_PREVIOUS');
  if (!current && nodeEnv === 'production') {
    throw new ConfigError('LEDGERLINK_SECRET_KEY is required when NODE_ENV=production');
  }
  if (!current && previous) {
    throw new ConfigError('LEDGERLINK_SECRET_KEY_PREVIOUS needs LEDGERLINK_SECRET_KEY beside it');
  }
  if (current) return { current, previous, source: 'env' };
  return { current: keyFileIn(dataDir), previous: null, source: 'file' };
}

/** Each data directory gets its own port, so two checkouts or data dirs can run side by side. */
function defaultPgPort(dataDir: string): number {
  let h = 0;
  for (const ch of dataDir) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return 54329 + (h % 600);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'], 'development');
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const dataDir = path.resolve(env.LEDGERLINK_DATA_DIR || path.join(repoRoot, '.data'));
  const faults = env.LEDGERLINK_FAULTS || undefined;
  if (faults && nodeEnv === 'production') {
    throw new ConfigError('LEDGERLINK_FAULTS is refused when NODE_ENV=production');
  }
  if (env.LEDGERLINK_DEMO_ACCOUNTSIQ === 'on' && nodeEnv === 'production') {
    throw new ConfigError('LEDGERLINK_DEMO_ACCOUNTSIQ is refused when NODE_ENV=production');
  }
  const port = intFrom(env, 'PORT', 4000, 0, 65535);
  const keepAliveTimeoutMs = intFrom(
    env,
    'LEDGERLINK_KEEPALIVE_TIMEOUT_MS',
    65_000,
    1_000,
    600_000,
  );
  return {
    nodeEnv,
    port,
    databaseUrl,
    dataDir,
    embeddedPgPort: intFrom(env, 'LEDGERLINK_PG_PORT', defaultPgPort(dataDir), 1024, 65535),
    seed: oneOf(env, 'LEDGERLINK_SEED', ['demo', 'none'], 'demo'),
    logLevel: oneOf(
      env,
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      'info',
    ),
    faults,
    secretKeys: secretKeysFrom(env, nodeEnv, dataDir),
    demoAccountsIq: oneOf(env, 'LEDGERLINK_DEMO_ACCOUNTSIQ', ['on', 'off'], 'off') === 'on',
    apiLimits: loadApiLimits(env, (message) => new ConfigError(message)),
    runWorker: oneOf(env, 'LEDGERLINK_WORKER', ['on', 'off'], 'on') === 'on',
    worker: {
      jobConcurrency: intFrom(env, 'LEDGERLINK_WORKER_CONCURRENCY', 4, 1, 64),
      sendConcurrency: intFrom(env, 'LEDGERLINK_SEND_CONCURRENCY', 4, 1, 64),
      maxAttempts: intFrom(env, 'LEDGERLINK_TRANSFER_MAX_ATTEMPTS', 6, 1, 50),
      retryBaseMs: intFrom(env, 'LEDGERLINK_RETRY_BASE_MS', 1000, 1, 600_000),
      retryCapMs: intFrom(env, 'LEDGERLINK_RETRY_CAP_MS', 60_000, 1, 3_600_000),
      staleAfterMs: intFrom(env, 'LEDGERLINK_STALE_AFTER_MS', 30_000, 100, 600_000),
      heartbeatMs: intFrom(env, 'LEDGERLINK_HEARTBEAT_MS', 5_000, 50, 300_000),
      sweepIntervalMs: intFrom(env, 'LEDGERLINK_SWEEP_INTERVAL_MS', 10_000, 50, 600_000),
      reconcileDelayMs: intFrom(env, 'LEDGERLINK_RECONCILE_DELAY_MS', 500, 0, 600_000),
    },
    sessionTtlHours: intFrom(env, 'LEDGERLINK_SESSION_TTL_HOURS', 12, 1, 24 * 30),
    realtime: {
      authCheckMs: intFrom(env, 'LEDGERLINK_WS_AUTH_CHECK_MS', 2_000, 50, 600_000),
      keepAliveMs: intFrom(env, 'LEDGERLINK_WS_KEEPALIVE_MS', 12_000, 100, 600_000),
      maxSocketsPerCaller: intFrom(env, 'LEDGERLINK_WS_MAX_SOCKETS_PER_CALLER', 50, 1, 100_000),
      subscriberBuffer: intFrom(env, 'LEDGERLINK_SUBSCRIBER_BUFFER', 10_000, 1, 1_000_000),
      listenerPingMs: intFrom(env, 'LEDGERLINK_LISTENER_PING_MS', 10_000, 100, 600_000),
      listenerReconnectMinMs: intFrom(env, 'LEDGERLINK_LISTENER_RECONNECT_MIN_MS', 100, 1, 60_000),
      listenerReconnectMaxMs: intFrom(
        env,
        'LEDGERLINK_LISTENER_RECONNECT_MAX_MS',
        5_000,
        1,
        600_000,
      ),
      resyncMarginMs: intFrom(env, 'LEDGERLINK_RESYNC_MARGIN_MS', 30_000, 0, 3_600_000),
    },
    webDist: path.join(repoRoot, 'web', 'dist'),
    http: {
      keepAliveTimeoutMs,
      headersTimeoutMs: keepAliveTimeoutMs + 1_000,
      // 10 MiB: far above the largest API request today (an export of 500 invoice ids is ~25 KB),
      // and room for XML invoice documents of a few MB.
      // Room for a 20 MiB e-invoice or a 10 MiB bank statement sent as a JSON string variable.
      maxBodyBytes: intFrom(env, 'LEDGERLINK_MAX_BODY_BYTES', 24 * 1024 * 1024, 1024, 1024 ** 3),
    },
    metrics: metricsFrom(env, port),
  };
}
