/**
 * GraphQL subscriptions over graphql-ws, on the HTTP server's port and path (/graphql).
 *
 * - Auth: the session cookie of the upgrade request (same origin only), or a token in
 *   `connectionParams` (`authorization: "Bearer ..."` or `token`), checked at connection_init
 *   (refused: close 4403) and again at every subscribe. Every `authCheckMs` the credentials of
 *   open sockets are checked; a logged-out session or revoked token closes its sockets (4403).
 * - Only subscriptions: queries and mutations go over HTTP, through Apollo and its plugins.
 * - Every event is executed with its own request context; its forked EntityManager is made on
 *   first use (graphql-js would reuse the subscribe-time context for every event). A selection
 *   made only of fields that come from the event itself (no caller, no database) is executed once
 *   per event for all subscriptions with the same document and variables.
 * - Backpressure: a socket takes messages without waiting while less than SOCKET_HIGH_WATER
 *   bytes are unsent; past that each send waits for the write, so a slow client's backlog stays
 *   in its bounded, coalescing subscriber buffer (the transfer event hub's subscriber queue).
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  BREAK,
  createSourceEventStream,
  execute,
  getOperationAST,
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { authenticate, callerStillValid, type Caller } from '../auth/authenticate.js';
import { createRequestContext, type AppServices, type RequestContext } from '../context.js';

/** Per-socket state: who is connected, with which credentials. */
interface Connection {
  id: string;
  socket: WebSocket;
  credentials: { authorization?: string; cookie?: string };
  caller: Caller;
}

interface Extra {
  socket: WebSocket;
  request: http.IncomingMessage;
  connection?: Connection;
}

/** What a subscription's context leads to: its socket, and the key of results it may share. */
interface SubscriptionInfo {
  connection: Connection;
  shareKey: string | null;
}

type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

export interface SubscriptionServer {
  /** Apollo plugin that closes every socket when Apollo drains (per Apollo's subscription docs). */
  drainPlugin: ApolloServerPlugin<RequestContext>;
  /** Open, authenticated sockets. */
  connectionCount(): number;
  dispose(): Promise<void>;
}

const MAX_SUBSCRIPTIONS_PER_SOCKET = 100;
/** Close code when a caller already holds its allowance of sockets (4xxx: application codes). */
export const TOO_MANY_SOCKETS = 4429;
const SOCKET_HIGH_WATER = 256 * 1024;
const ENDED_REASON = 'Forbidden: the session ended or the token was revoked';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The cookie counts only when a page of this very origin opened the socket: browsers send it
 * with a WebSocket opened by any site (cross-site WebSocket hijacking). Outside production a
 * loopback page may also reach a loopback server (the Vite dev server proxies from another port).
 */
function cookieAllowed(request: http.IncomingMessage, production: boolean): boolean {
  const origin = request.headers.origin;
  if (!origin) return true; // not a browser: no ambient cookie to abuse
  try {
    const page = new URL(origin);
    if (page.host === request.headers.host) return true;
    const server = new URL(`http://${request.headers.host ?? ''}`);
    return !production && LOOPBACK.has(page.hostname) && LOOPBACK.has(server.hostname);
  } catch {
    return false;
  }
}

function credentialsOf(
  request: http.IncomingMessage,
  params: Readonly<Record<string, unknown>> | undefined,
  production: boolean,
) {
  let authorization: string | undefined;
  if (typeof params?.authorization === 'string') {
    authorization = /^bearer\s/i.test(params.authorization)
      ? params.authorization
      : `Bearer ${params.authorization}`;
  } else if (typeof params?.token === 'string') {
    authorization = `Bearer ${params.token}`;
  } else if (typeof request.headers.authorization === 'string') {
    authorization = request.headers.authorization;
  }
  const cookie = cookieAllowed(request, production) ? request.headers.cookie : undefined;
  return { authorization, cookie };
}

/** Whose socket allowance a connection uses: the API token, or the person (all their sessions). */
function socketOwner(caller: Caller): string {
  if (caller.kind === 'apiClient') return `a:${caller.apiClient.id}`;
  if (caller.kind === 'user') return `u:${caller.user.id}`;
  return 'anonymous';
}

function credentialKey(caller: Caller): string {
  if (caller.kind === 'apiClient') return `a:${caller.apiClient.id}`;
  if (caller.kind === 'user') return `s:${caller.sessionTokenHash}`;
  return 'anonymous';
}

/** Whether every field the document selects comes from the event alone (fragments: assume not). */
function eventAlone(
  schema: GraphQLSchema,
  document: DocumentNode,
  fieldsFromTheEventAlone: ReadonlySet<string>,
): boolean {
  const typeInfo = new TypeInfo(schema);
  let alone = true;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      enter(node) {
        if (
          node.kind === Kind.FRAGMENT_SPREAD ||
          node.kind === Kind.INLINE_FRAGMENT ||
          node.kind === Kind.FRAGMENT_DEFINITION
        ) {
          alone = false;
          return BREAK;
        }
        if (node.kind === Kind.FIELD && node.name.value !== '__typename') {
          const parent = typeInfo.getParentType();
          if (!parent || !fieldsFromTheEventAlone.has(`${parent.name}.${node.name.value}`)) {
            alone = false;
            return BREAK;
          }
        }
        return undefined;
      },
    }),
  );
  return alone;
}

/** Maps a source stream to execution results; `return()` reaches the source at once, even mid-wait. */
function mapEvents<T>(
  source: AsyncIterator<T>,
  run: (payload: T) => Promise<ExecutionResult>,
): AsyncGenerator<ExecutionResult, void, void> {
  const done = { done: true as const, value: undefined };
  const it: AsyncGenerator<ExecutionResult, void, void> = {
    async next() {
      const r = await source.next();
      if (r.done) return done;
      return { done: false, value: await run(r.value) };
    },
    async return() {
      await source.return?.();
      return done;
    },
    async throw(err) {
      await source.return?.();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return it;
    },
  };
  return it;
}

/** Sends without waiting while the socket has room; past the high-water mark, waits for the write. */
function send(socket: WebSocket, data: string): Promise<void> | void {
  if (socket.readyState !== socket.OPEN) return;
  if (socket.bufferedAmount < SOCKET_HIGH_WATER) {
    socket.send(data);
    return;
  }
  return new Promise((resolve, reject) =>
    socket.send(data, (err) => (err ? reject(err) : resolve())),
  );
}

export function attachSubscriptionServer(
  services: AppServices,
  httpServer: http.Server,
  schema: GraphQLSchema,
  opts: {
    formatError: ErrorFormatter;
    expectedCodes: ReadonlySet<string>;
    /** Extra document rules and parser limits, the same as Apollo's over HTTP. */
    validationRules?: readonly ValidationRule[];
    parseOptions?: ParseOptions;
    /**
     * Fields (`Type.field`) whose value comes from the event alone: a subscription selecting
     * only these shares one execution per event with every other such subscription.
     */
    fieldsFromTheEventAlone: ReadonlySet<string>;
  },
): SubscriptionServer {
  const log = services.log.child({ component: 'subscriptions' });
  const { authCheckMs, keepAliveMs, maxSocketsPerCaller } = services.config.realtime;
  const wss = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    maxPayload: 64 * 1024,
    handleProtocols,
  });
  const connections = new Map<WebSocket, Connection>();
  const subscriptions = new WeakMap<RequestContext, SubscriptionInfo>();
  /** Results of event-alone selections, per event object and share key. */
  const sharedResults = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();

  const format = (
    errors: readonly GraphQLError[],
    ctx: RequestContext | undefined,
  ): GraphQLFormattedError[] =>
    errors.map((err) => {
      // graphql-ws wraps an error thrown by the stream; keep the code of ours.
      const inner = err.originalError instanceof GraphQLError ? err.originalError : err;
      const code = inner.extensions?.code as string | undefined;
      if (!code || !opts.expectedCodes.has(code)) {
        (ctx?.log ?? log).error(
          { err: inner.originalError ?? inner, path: err.path },
          'unexpected subscription error',
        );
      }
      const formatted = opts.formatError(
        { ...inner.toJSON(), path: err.path ?? inner.path },
        inner,
      );
      return ctx
        ? { ...formatted, extensions: { ...formatted.extensions, requestId: ctx.requestId } }
        : formatted;
    });

  /**
   * The context of one event: its own forked EntityManager and loaders, made on first use (an
   * event whose selection reads no database, like `{ status transfer { id } }`, needs none, and at
   * hundreds of subscribers the forks would cost more than the rest of the event).
   */
  const eventContext = (subscriptionContext: RequestContext): RequestContext => {
    const caller =
      subscriptions.get(subscriptionContext)?.connection.caller ?? subscriptionContext.caller;
    let own: RequestContext | undefined;
    const ownContext = () =>
      (own ??= createRequestContext(services, caller, subscriptionContext.requestId));
    return {
      services,
      caller,
      requestId: subscriptionContext.requestId,
      log: subscriptionContext.log,
      get em() {
        return ownContext().em;
      },
      get loaders() {
        return ownContext().loaders;
      },
    };
  };

  const options: ServerOptions<Record<string, unknown>, Extra> = {
    schema,
    onConnect: async (ctx) => {
      const credentials = credentialsOf(
        ctx.extra.request,
        ctx.connectionParams,
        services.config.nodeEnv === 'production',
      );
      const caller = await authenticate(services.orm.em.fork(), credentials);
      // Refused: graphql-ws closes with 4403 Forbidden.
      if (caller.kind === 'anonymous') return false;
      // Each socket costs memory and a delivery per event: one token (or person) may hold only
      // so many on this replica. Subscriptions multiplex, so one socket serves a whole client.
      const owner = socketOwner(caller);
      let held = 0;
      for (const c of connections.values()) if (socketOwner(c.caller) === owner) held++;
      if (held >= maxSocketsPerCaller) {
        ctx.extra.socket.close(
          TOO_MANY_SOCKETS,
          `Too many sockets: at most ${maxSocketsPerCaller} per token or user; subscribe on one you hold`,
        );
        return false;
      }
      const connection: Connection = {
        id: randomUUID(),
        socket: ctx.extra.socket,
        credentials,
        caller,
      };
      connections.set(ctx.extra.socket, connection);
      ctx.extra.connection = connection;
      return true;
    },
    onClose: (ctx) => {
      connections.delete(ctx.extra.socket);
    },
    onSubscribe: async (ctx, id, payload) => {
      const connection = ctx.extra.connection;
      if (!connection)
        return [new GraphQLError('Not connected', { extensions: { code: 'UNAUTHENTICATED' } })];
      // Roles and revocation may have changed since connection_init.
      const caller = await authenticate(services.orm.em.fork(), connection.credentials);
      if (caller.kind === 'anonymous') {
        ctx.extra.socket.close(CloseCode.Forbidden, ENDED_REASON);
        return [new GraphQLError(ENDED_REASON, { extensions: { code: 'UNAUTHENTICATED' } })];
      }
      connection.caller = caller;
      if (Object.keys(ctx.subscriptions).length > MAX_SUBSCRIPTIONS_PER_SOCKET) {
        return [
          new GraphQLError(`At most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions per socket`, {
            extensions: { code: 'BAD_REQUEST' },
          }),
        ];
      }
      let document: DocumentNode;
      try {
        document = parse(payload.query, opts.parseOptions);
      } catch (err) {
        return [
          err instanceof GraphQLError
            ? err
            : new GraphQLError('Malformed query', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } }),
        ];
      }
      const validationErrors = validate(schema, document, [
        ...specifiedRules,
        ...(opts.validationRules ?? []),
      ]);
      if (validationErrors.length) {
        return validationErrors.map(
          (e) =>
            new GraphQLError(e.message, {
              nodes: e.nodes,
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
            }),
        );
      }
      const operation = getOperationAST(document, payload.operationName);
      if (!operation)
        return [
          new GraphQLError('Unable to identify operation', { extensions: { code: 'BAD_REQUEST' } }),
        ];
      if (operation.operation !== 'subscription') {
        return [
          new GraphQLError(
            'Only subscriptions are served over WebSocket; send queries and mutations over HTTP',
            {
              extensions: { code: 'BAD_REQUEST' },
            },
          ),
        ];
      }
      const contextValue = createRequestContext(
        services,
        caller,
        `ws-${connection.id.slice(0, 8)}-${id}`,
      );
      const shareKey = eventAlone(schema, document, opts.fieldsFromTheEventAlone)
        ? JSON.stringify([payload.query, payload.operationName ?? null, payload.variables ?? null])
        : null;
      subscriptions.set(contextValue, { connection, shareKey });
      return {
        schema,
        document,
        operationName: payload.operationName,
        variableValues: payload.variables,
        contextValue,
      } satisfies ExecutionArgs;
    },
    subscribe: async (args) => {
      const subscriptionContext = args.contextValue as RequestContext;
      const shareKey = subscriptions.get(subscriptionContext)?.shareKey ?? null;
      const stream = await createSourceEventStream(args);
      if (!(Symbol.asyncIterator in stream)) return stream; // refused: { errors }
      const run = (payload: unknown) =>
        execute({ ...args, rootValue: payload, contextValue: eventContext(subscriptionContext) });
      return mapEvents(stream as AsyncGenerator<unknown>, async (payload) => {
        if (!shareKey || typeof payload !== 'object' || payload === null) return run(payload);
        let results = sharedResults.get(payload);
        if (!results) sharedResults.set(payload, (results = new Map()));
        let result = results.get(shareKey);
        if (!result) results.set(shareKey, (result = Promise.resolve(run(payload))));
        return result;
      });
    },
    onNext: (_ctx, _id, _payload, args, result) => {
      if (!result.errors) return;
      return { ...result, errors: format(result.errors, args.contextValue as RequestContext) };
    },
    onError: (_ctx, _id, _payload, errors) => format(errors, undefined),
  };
  const server = makeServer(options);

  // graphql-ws's `useServer` for `ws`, with the sending above and our logger.
  wss.on('error', (err) => log.error({ err }, 'WebSocket server error'));
  wss.on('connection', (socket, request) => {
    socket.once('error', (err) => {
      log.warn({ err }, 'WebSocket error');
      socket.close(CloseCode.InternalServerError, 'Internal server error');
    });
    let pongWait: NodeJS.Timeout | null = null;
    const pings = setInterval(() => {
      if (socket.readyState !== socket.OPEN || pongWait) return;
      pongWait = setTimeout(() => socket.terminate(), keepAliveMs);
      socket.once('pong', () => {
        if (pongWait) clearTimeout(pongWait);
        pongWait = null;
      });
      socket.ping();
    }, keepAliveMs);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) => send(socket, data),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (cb) =>
          socket.on('message', async (data) => {
            try {
              await cb(String(data));
            } catch (err) {
              log.error({ err }, 'failed handling a WebSocket message');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            }
          }),
      },
      { socket, request },
    );
    socket.once('close', (code, reason) => {
      if (pongWait) clearTimeout(pongWait);
      clearInterval(pings);
      void closed(code, String(reason));
    });
  });

  // Close the sockets of sessions that ended and tokens that were revoked.
  let checking = false;
  const check = async () => {
    if (checking || !connections.size) return;
    checking = true;
    try {
      const byCredential = new Map<string, Connection[]>();
      for (const c of connections.values()) {
        const key = credentialKey(c.caller);
        byCredential.set(key, [...(byCredential.get(key) ?? []), c]);
      }
      const em = services.orm.em.fork();
      for (const group of byCredential.values()) {
        if (await callerStillValid(em, group[0].caller)) continue;
        log.info(
          { sockets: group.length, credential: group[0].caller.kind },
          'closing sockets of an ended session or revoked token',
        );
        for (const c of group) {
          connections.delete(c.socket);
          c.socket.close(CloseCode.Forbidden, ENDED_REASON);
        }
      }
    } catch (err) {
      log.warn({ err }, 'checking socket credentials failed');
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), authCheckMs);
  timer.unref();

  let disposed: Promise<void> | undefined;
  const dispose = () =>
    (disposed ??= (async () => {
      clearInterval(timer);
      for (const socket of wss.clients) socket.close(1001, 'Going away');
      await new Promise<void>((resolve, reject) =>
        wss.close((err) => (err ? reject(err) : resolve())),
      );
    })());

  return {
    drainPlugin: {
      async serverWillStart() {
        return {
          async drainServer() {
            await dispose();
          },
        };
      },
    },
    connectionCount: () => connections.size,
    dispose,
  };
}
