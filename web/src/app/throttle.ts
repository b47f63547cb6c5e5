import type { Operation } from '@apollo/client/core';
import { RetryLink } from '@apollo/client/link/retry';
import { getMainDefinition } from '@apollo/client/utilities';

/** A read waits at most this long, this many times, for the cost bucket before the error shows. */
const MAX_WAIT_MS = 15_000;
const MAX_RETRIES = 3;

interface ThrottledResponse {
  statusCode?: number;
  result?: { errors?: { extensions?: { code?: string; retryAfter?: number } }[] };
}

/**
 * The wait (ms) a THROTTLED answer asks for, or null when the error is something else. The
 * server answers HTTP 429 with `extensions.retryAfter` in seconds (docs/partner-api.md).
 */
export function throttledRetryAfterMs(error: unknown): number | null {
  const e = error as ThrottledResponse | undefined;
  if (e?.statusCode !== 429) return null;
  const throttled = e.result?.errors?.find((x) => x.extensions?.code === 'THROTTLED');
  const seconds = throttled?.extensions?.retryAfter;
  return typeof seconds === 'number' && seconds >= 0 ? Math.ceil(seconds * 1000) : 1000;
}

function isRead(operation: Operation): boolean {
  const definition = getMainDefinition(operation.query);
  return definition.kind === 'OperationDefinition' && definition.operation === 'query';
}

/**
 * Retries a throttled read after the wait the server names, so a burst of clicks through lists
 * shows a slower page rather than an error. Writes are never retried here: whether to send a
 * mutation again is the user's decision.
 */
export function throttleRetryLink(): RetryLink {
  return new RetryLink({
    delay: (_count, _operation, error) => throttledRetryAfterMs(error) ?? 1000,
    attempts: (count, operation, error) => {
      const ms = throttledRetryAfterMs(error);
      return ms !== null && ms <= MAX_WAIT_MS && count <= MAX_RETRIES && isRead(operation);
    },
  });
}
