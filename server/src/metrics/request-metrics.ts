/** Latency of HTTP requests (Express middleware) and of GraphQL operations (Apollo plugin). */
import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import { observeGraphqlOperation, observeHttpRequest } from './registry.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The route a request matched, as declared (`/graphql`, `/readyz`, `/{*splat}`), never the raw
 * URL: paths mounted with `app.use` are listed in `mounted`; anything else is "other".
 */
export function routeLabel(req: Request, mounted: readonly string[]): string {
  const declared: unknown = req.route?.path;
  if (typeof declared === 'string') return declared;
  const path = req.originalUrl.split('?')[0];
  return mounted.find((m) => path === m || path.startsWith(`${m}/`)) ?? 'other';
}

/** Observes every request when its response is finished (or the client went away). */
export function httpMetricsMiddleware(mounted: readonly string[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    let observed = false;
    const observe = () => {
      if (observed) return;
      observed = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const method = METHODS.has(req.method) ? req.method : 'other';
      observeHttpRequest(method, routeLabel(req, mounted), res.statusCode, seconds);
    };
    res.once('finish', observe);
    res.once('close', observe);
    next();
  };
}

/** Times each GraphQL operation from its arrival to the response being sent. */
export function graphqlMetricsPlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, operation }) {
          observeGraphqlOperation(
            operationName,
            operation?.operation,
            Number(process.hrtime.bigint() - started) / 1e9,
          );
        },
      };
    },
  };
}
