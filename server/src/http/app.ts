import {
  EINVOICE_ATTACHMENT_PATH,
  EINVOICE_XML_PATH,
  einvoiceAttachmentHandler,
  einvoiceXmlHandler,
} from '../modules/einvoices/einvoice-downloads.js';
import {
  EINVOICE_IMPORT_PATH,
  einvoiceUploadHandler,
} from '../modules/einvoices/einvoice-upload.js';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { authenticate } from '../auth/authenticate.js';
import { createRequestContext, type AppServices, type RequestContext } from '../context.js';
import { migrationsCurrent } from '../orm.js';
import { SUBSCRIBER_TOO_SLOW } from '../modules/transfers/events/subscriber-queue.js';
import { attachSubscriptionServer, type SubscriptionServer } from '../realtime/ws-server.js';
import { createSchema } from '../schema.js';
import { AppMetrics } from '../metrics/app-metrics.js';
import { METRICS_PATH, metricsHandler } from '../metrics/metrics-endpoint.js';
import { graphqlMetricsPlugin, httpMetricsMiddleware } from '../metrics/request-metrics.js';
import { apiAuditPlugin } from '../modules/audit/api-audit.plugin.js';
import { apiLimitsPlugin } from '../modules/rate-limits/api-limits.plugin.js';
import {
  documentLimitRules,
  documentParseOptions,
} from '../modules/rate-limits/document-limits.js';
import {
  TRANSFER_REPORT_CSV_PATH,
  transferReportCsvHandler,
} from '../modules/transfers/transfer-report.csv.js';
import { FIELDS_FROM_THE_EVENT_ALONE } from '../modules/transfers/transfer.subscriptions.resolver.js';
import { HttpDrain } from './draining.js';

export interface HttpServer {
  app: express.Express;
  server: http.Server;
  apollo: ApolloServer<RequestContext>;
  /** graphql-ws on the same port and path. */
  subscriptions: SubscriptionServer;
  /** Scrape-time series of this application; `/metrics` renders them. */
  metrics: AppMetrics;
  drain: HttpDrain;
  listen(port: number): Promise<number>;
  /** Answers new requests with 503 + Retry-After, lets the ones in flight finish, then closes. */
  close(): Promise<void>;
}

/** Codes our own resolvers and GraphQL validation use; anything else is an unexpected error. */
const EXPECTED_CODES = new Set([
  'BAD_USER_INPUT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'THROTTLED',
  'MAX_COST_EXCEEDED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'PAYLOAD_TOO_LARGE',
  SUBSCRIBER_TOO_SLOW,
]);

/** Logs unexpected errors with the request id, and gives every error the request id. */
function errorPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          for (const err of errors) {
            const code = err.extensions?.code as string | undefined;
            if (!code || !EXPECTED_CODES.has(code)) {
              contextValue.log.error(
                { err: err.originalError ?? err, operationName, path: err.path },
                'unexpected error',
              );
            }
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind === 'single' && response.body.singleResult.errors) {
            response.body.singleResult.errors = response.body.singleResult.errors.map((e) => ({
              ...e,
              extensions: { ...e.extensions, requestId: contextValue.requestId },
            }));
          }
        },
      };
    },
  };
}

/** Unexpected errors reach clients masked: no internal message, no stack. */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  const code = formatted.extensions?.code as string | undefined;
  if (code && EXPECTED_CODES.has(code)) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  void error;
  return {
    message: 'Internal server error: the request id identifies it in our logs',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

export async function createHttpServer(services: AppServices): Promise<HttpServer> {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const server = http.createServer(app);
  const { keepAliveTimeoutMs, headersTimeoutMs, maxBodyBytes } = services.config.http;
  // Node's 5 s default is below every load balancer's idle timeout: the balancer would reuse
  // sockets we already closed (sporadic 502s). Headers may take a little longer than that.
  server.keepAliveTimeout = keepAliveTimeoutMs;
  server.headersTimeout = headersTimeoutMs;
  server.requestTimeout = Math.max(server.requestTimeout, headersTimeoutMs);
  const schema = await createSchema();
  // Subscriptions get the same document limits as operations over HTTP.
  const subscriptions = attachSubscriptionServer(services, server, schema, {
    formatError,
    expectedCodes: EXPECTED_CODES,
    validationRules: documentLimitRules(),
    parseOptions: documentParseOptions,
    fieldsFromTheEventAlone: FIELDS_FROM_THE_EVENT_ALONE,
  });

  const apollo = new ApolloServer<RequestContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    // Introspection and field suggestions are for authenticated callers only (api-limits plugin).
    introspection: true,
    // Cookie sessions: a request must be JSON or carry a preflight header, which a cross-site form or <img> cannot send.
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    parseOptions: documentParseOptions,
    validationRules: documentLimitRules(),
    plugins: [
      // Requests in flight had their time in our own drain (close() below): a short last grace.
      ApolloServerPluginDrainHttpServer({ httpServer: server, stopGracePeriodMillis: 2_000 }),
      subscriptions.drainPlugin,
      errorPlugin(),
      graphqlMetricsPlugin(),
      apiLimitsPlugin(),
      apiAuditPlugin(),
    ],
  });
  await apollo.start();

  const metrics = new AppMetrics({
    orm: services.orm,
    log: services.log,
    subscriptionSockets: () => subscriptions.connectionCount(),
  });
  const drain = new HttpDrain();
  app.use(httpMetricsMiddleware(['/graphql']));
  app.use((req: Request, res: Response, next: NextFunction) => {
    const incoming = req.header('x-request-id');
    const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      services.log.info(
        {
          requestId,
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
        },
        'request',
      );
    });
    next();
  });
  app.use(drain.middleware());

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    try {
      await services.orm.em.getConnection().execute('select 1');
      const current = await migrationsCurrent(services.orm);
      res
        .status(current ? 200 : 503)
        .json({ status: current ? 'ready' : 'migrations pending', database: 'ok' });
    } catch (err) {
      services.log.warn({ err }, 'readiness check failed');
      res.status(503).json({ status: 'database unreachable' });
    }
  });

  app.use(
    '/graphql',
    express.json({ limit: maxBodyBytes }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = res.locals.requestId as string;
        const em = services.orm.em.fork();
        const caller = await authenticate(em, {
          authorization: req.header('authorization'),
          cookie: req.header('cookie'),
        });
        return createRequestContext(services, caller, requestId, { req, res, em });
      },
    }),
  );

  app.get(TRANSFER_REPORT_CSV_PATH, transferReportCsvHandler(services));
  app.post(EINVOICE_IMPORT_PATH, einvoiceUploadHandler(services));
  app.get(EINVOICE_XML_PATH, einvoiceXmlHandler(services));
  app.get(EINVOICE_ATTACHMENT_PATH, einvoiceAttachmentHandler(services));
  app.get(METRICS_PATH, metricsHandler(metrics, services.config.metrics, services.log));

  // The SPA, when built: static files, and index.html for client-side routes.
  const dist = services.config.webDist;
  if (fs.existsSync(path.join(dist, 'index.html'))) {
    app.use(express.static(dist, { index: false, maxAge: '1h' }));
    app.get('/{*splat}', (_req, res) => {
      res.sendFile(path.join(dist, 'index.html'));
    });
  }

  // Malformed JSON and other request errors: a clear 400, never a stack trace.
  app.use(
    (
      err: Error & { status?: number; type?: string },
      _req: Request,
      res: Response,
      _next: NextFunction,
    ) => {
      const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
      if (status === 500)
        services.log.error({ err, requestId: res.locals.requestId }, 'unhandled http error');
      const tooLarge = err.type === 'entity.too.large';
      res.status(status).json({
        errors: [
          {
            message:
              status === 500
                ? 'Internal server error'
                : tooLarge
                  ? `Request body too large: at most ${maxBodyBytes} bytes are accepted`
                  : err.type === 'entity.parse.failed'
                    ? 'Malformed JSON body'
                    : err.message,
            extensions: {
              code:
                status === 500
                  ? 'INTERNAL_SERVER_ERROR'
                  : tooLarge
                    ? 'PAYLOAD_TOO_LARGE'
                    : 'BAD_REQUEST',
              requestId: res.locals.requestId,
            },
          },
        ],
      });
    },
  );

  return {
    app,
    server,
    apollo,
    subscriptions,
    metrics,
    drain,
    listen: (port) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, () => resolve((server.address() as { port: number }).port));
      }),
    close: async () => {
      // Up to 10 s for the requests in flight, listening all along (new ones get 503), then Apollo
      // closes the listener and the sockets: well within main.ts's 20 s before a forced exit.
      await drain.drain(10_000);
      await apollo.stop();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
