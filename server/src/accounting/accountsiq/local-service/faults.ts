/**
 * Transport faults of the local accountsIQ service, injected in front of the SOAP handler:
 *   unavailable-before-commit → HTTP 503, the request never reaches the service;
 *   session-expired           → the call is answered HasExpired (nothing done), as when a token lapses;
 *   drop-after-commit         → the service does the work, then the connection is cut instead of answering;
 *   late-answer               → the service does the work, the answer is held past the client's timeout.
 */
import type { NextFunction, Request, Response } from 'express';

export type LocalFaultKind =
  'drop-after-commit' | 'late-answer' | 'unavailable-before-commit' | 'session-expired';

export interface LocalFaultOptions {
  /** How many matching calls the fault hits (default 1). */
  times?: number;
  /** Only calls of this SOAP operation (default: any operation but TokenGet/TokenRefresh). */
  operation?: string;
  /** For late-answer: how long the answer is held, in ms (default: the service's lateAnswerMs). */
  delayMs?: number;
  /** Matching calls to let through before the fault starts hitting (default 0). */
  skip?: number;
}

interface PlannedFault {
  kind: LocalFaultKind;
  skip: number;
  left: number;
  operation: string | undefined;
  delayMs: number | undefined;
}

const AUTH_OPERATIONS = new Set(['TokenGet', 'TokenRefresh']);

/** The operation name of a SOAP 1.1 request, from its SOAPAction header. */
export function operationOf(req: Request): string {
  const action = String(req.headers.soapaction ?? '').replace(/^"|"$/g, '');
  return action.slice(action.lastIndexOf('/') + 1);
}

export class FaultPlan {
  private readonly planned: PlannedFault[] = [];
  /** Marks requests the session-expired fault hit; the service answers them HasExpired. */
  readonly expiredRequests = new WeakSet<object>();

  constructor(private readonly lateAnswerMs: number) {}

  add(kind: LocalFaultKind, opts: LocalFaultOptions = {}): void {
    this.planned.push({
      kind,
      skip: opts.skip ?? 0,
      left: opts.times ?? 1,
      operation: opts.operation,
      delayMs: opts.delayMs,
    });
  }

  get pending(): number {
    return this.planned.reduce((n, f) => n + f.left, 0);
  }

  clear(): void {
    this.planned.length = 0;
  }

  private take(operation: string): PlannedFault | undefined {
    const fault = this.planned.find((f) =>
      f.operation === undefined ? !AUTH_OPERATIONS.has(operation) : f.operation === operation,
    );
    if (!fault) return undefined;
    if (fault.skip > 0) {
      fault.skip -= 1;
      return undefined;
    }
    fault.left -= 1;
    if (fault.left <= 0) this.planned.splice(this.planned.indexOf(fault), 1);
    return fault;
  }

  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'POST') return next();
    const fault = this.take(operationOf(req));
    if (!fault) return next();
    switch (fault.kind) {
      case 'unavailable-before-commit':
        res.status(503).type('text/plain').send('Service Unavailable');
        return;
      case 'session-expired':
        this.expiredRequests.add(req);
        return next();
      case 'drop-after-commit':
        holdAnswer(res, () => req.socket.destroy());
        return next();
      case 'late-answer': {
        const delay = fault.delayMs ?? this.lateAnswerMs;
        holdAnswer(res, (send) => setTimeout(send, delay).unref());
        return next();
      }
    }
  };
}

/** Collects what the SOAP handler writes and hands "send it" to `then` instead of sending. */
function holdAnswer(res: Response, then: (send: () => void) => void): void {
  const chunks: unknown[] = [];
  const write = res.write.bind(res) as (chunk: unknown) => boolean;
  const end = res.end.bind(res) as (chunk?: unknown) => Response;
  res.write = ((chunk: unknown) => {
    chunks.push(chunk);
    return true;
  }) as Response['write'];
  res.end = ((chunk?: unknown) => {
    if (chunk !== undefined && typeof chunk !== 'function') chunks.push(chunk);
    then(() => {
      if (res.destroyed) return;
      for (const c of chunks) write(c);
      end();
    });
    return res;
  }) as Response['end'];
}
