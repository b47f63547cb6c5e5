/**
 * Graceful shutdown of the HTTP side: once draining starts, readiness fails and every new
 * request gets 503 with Retry-After and `Connection: close` (its client retries elsewhere or
 * later), while the requests already in flight finish.
 */
import type { NextFunction, Request, Response } from 'express';

/** Seconds a client is told to wait before retrying: a restart or another replica takes over. */
export const SHUTDOWN_RETRY_AFTER_SECONDS = 5;

export class HttpDrain {
  private draining = false;
  private inFlight = 0;
  private waiters: (() => void)[] = [];

  get isDraining(): boolean {
    return this.draining;
  }

  get requestsInFlight(): number {
    return this.inFlight;
  }

  middleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      if (this.draining) {
        res.setHeader('retry-after', String(SHUTDOWN_RETRY_AFTER_SECONDS));
        res.setHeader('connection', 'close');
        const message = 'The server is shutting down; retry in a few seconds';
        res
          .status(503)
          .json(
            req.path === '/readyz' || req.path === '/healthz'
              ? { status: 'shutting down' }
              : { errors: [{ message, extensions: { code: 'SHUTTING_DOWN' } }] },
          );
        return;
      }
      this.inFlight++;
      let done = false;
      const finished = () => {
        if (done) return;
        done = true;
        this.inFlight--;
        if (this.inFlight === 0) for (const wake of this.waiters.splice(0)) wake();
      };
      res.once('finish', finished);
      res.once('close', finished);
      next();
    };
  }

  /** Starts draining; resolves when no request is in flight any more, or after `graceMs`. */
  async drain(graceMs: number): Promise<void> {
    this.draining = true;
    if (this.inFlight === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.waiters.push(resolve)),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
  }
}
