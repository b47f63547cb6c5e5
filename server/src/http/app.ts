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
import { SUBSCRIBER_TOO_SLOW } from '../realtime/subscriber-queue.js';
import { attachSubscriptionServer, type SubscriptionServer } from '../realtime/ws-server.js';
import { createSchema } from '../schema.js';
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

export interface HttpServer {
  app: express.Express;
  server: http.Server;
  apollo: ApolloServer<RequestContext>;
  /** graphql-ws on the same port and path. */
  subscriptions: SubscriptionServer;
  listen(port: number): Promise<number>;
  /** Stops taking requests and drains the ones in flight. */
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
  const schema = await createSchema();
  // Subscriptions get the same document limits as operations over HTTP.
  const subscriptions = attachSubscriptionServer(services, server, schema, {
    formatError,
    expectedCodes: EXPECTED_CODES,
    validationRules: documentLimitRules(),
    parseOptions: documentParseOptions,
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
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      subscriptions.drainPlugin,
      errorPlugin(),
      apiLimitsPlugin(),
      apiAuditPlugin(),
    ],
  });
  await apollo.start();

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
    // Bank statements (camt.053, up to 10 MiB of XML) travel as a GraphQL variable.
    express.json({ limit: '12mb' }),
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
      res.status(status).json({
        errors: [
          {
            message:
              status === 500
                ? 'Internal server error'
                : err.type === 'entity.parse.failed'
                  ? 'Malformed JSON body'
                  : err.message,
            extensions: {
              code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST',
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
    listen: (port) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, () => resolve((server.address() as { port: number }).port));
      }),
    close: async () => {
      await apollo.stop();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
