/**
 * Who may read `/metrics`: on the main port only with `Authorization: Bearer
 * $LEDGERLINK_METRICS_TOKEN`; on `LEDGERLINK_METRICS_PORT` (127.0.0.1 by default) anyone who
 * reaches it. With neither configured the main port answers 404, as for any unknown path.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { AppMetrics } from './app-metrics.js';

export const METRICS_PATH = '/metrics';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time comparison of the presented bearer token with the configured one. */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return !!m && timingSafeEqual(digest(m[1]), digest(token));
}

function errorBody(code: string, message: string) {
  return JSON.stringify({ errors: [{ message, extensions: { code } }] });
}

async function sendMetrics(metrics: AppMetrics, log: Logger, res: http.ServerResponse) {
  try {
    const body = await metrics.render();
    res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
    res.end(body);
  } catch (err) {
    log.error({ err }, 'metrics could not be rendered');
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(errorBody('INTERNAL_SERVER_ERROR', 'Metrics could not be rendered'));
  }
}

/** `GET /metrics` on the main port. */
export function metricsHandler(metrics: AppMetrics, config: Config['metrics'], log: Logger) {
  return async (req: Request, res: Response) => {
    const token = config.token;
    if (!token) {
      res
        .status(404)
        .json({ errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] });
      return;
    }
    if (!bearerMatches(req.header('authorization'), token)) {
      res
        .status(401)
        .set('www-authenticate', 'Bearer realm="metrics"')
        .type('application/json')
        .send(
          errorBody(
            'UNAUTHENTICATED',
            'Metrics need Authorization: Bearer <LEDGERLINK_METRICS_TOKEN>',
          ),
        );
      return;
    }
    await sendMetrics(metrics, log, res);
  };
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/** `/metrics` alone on its own port, without a token: bind it where only the scraper reaches. */
export async function startMetricsServer(
  metrics: AppMetrics,
  opts: { port: number; host: string; log: Logger },
): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== METRICS_PATH) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(errorBody('NOT_FOUND', 'Not found'));
      return;
    }
    void sendMetrics(metrics, opts.log, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  opts.log.info({ host: opts.host, port }, 'metrics served on their own port');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
