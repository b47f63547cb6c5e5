/**
 * The SOAP transport to one accountsIQ company: the client built from the WSDL, the access
 * token (TokenGet, renewed with TokenRefresh — or a new TokenGet — when an answer says
 * HasExpired, and the call retried once), per-call timeouts, and the translation of transport
 * failures into the port's errors. Nothing here ever puts the client secret into an error.
 */
import soap, { type Client } from 'soap';
import { AccountingOutcomeUnknown, AccountingTransientError } from '../accounting-system.js';
import { KEEP_AS_TEXT } from './wsdl-file.js';

export const AIQ_NAMESPACE = 'http://www.visorsoftware.com/visor/accountsiq/dashboard/Integration/';

export interface SessionConfig {
  endpoint: string;
  entity: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
}

/** The `WSResult2Of…` every accountsIQ operation answers with. */
export interface WsResult<T> {
  Status: string;
  ErrorCode: string;
  ErrorMessage?: string;
  HasExpired: boolean;
  Result?: T;
}

/** A refusal inside an HTTP 200 answer (Status not Success). */
export class AiqResultError extends Error {
  constructor(
    readonly operation: string,
    readonly errorCode: string,
    readonly errorMessage: string,
  ) {
    super(`accountsIQ ${operation}: ${errorCode}${errorMessage ? ` (${errorMessage})` : ''}`);
    this.name = 'AiqResultError';
  }
}

/** TokenGet refused the credentials. */
export class AiqAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AiqAuthError';
  }
}

/** Whether a call changes accountsIQ: a failed write after sending leaves its outcome unknown. */
export type CallKind = 'read' | 'write';

interface TransportError {
  code?: string;
  message?: string;
  response?: { status?: number };
  root?: { Envelope?: { Body?: { Fault?: { faultstring?: string } } } };
}

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

const SUCCESS_STATUSES = new Set(['Success', 'Created']);

/** The WSDL is large and read once: it gets more time than a single call. */
const WSDL_TIMEOUT_MS = 15_000;

export class AiqSession {
  private client: Promise<Client> | undefined;
  private tokens: { access: string; refresh: string } | undefined;
  private login: Promise<void> | undefined;

  constructor(private readonly config: SessionConfig) {}

  get timeoutMs(): number {
    return this.config.timeoutMs ?? 15000;
  }

  /** Calls `operation` and returns its Result; refusals throw AiqResultError. */
  async call<T>(operation: string, args: object, kind: CallKind): Promise<T> {
    const result = await this.callRaw<T>(operation, args, kind);
    if (!SUCCESS_STATUSES.has(result.Status))
      throw new AiqResultError(operation, result.ErrorCode, result.ErrorMessage ?? '');
    return result.Result as T;
  }

  /** Calls with a valid token; an answer saying HasExpired renews the token and retries once. */
  async callRaw<T>(operation: string, args: object, kind: CallKind): Promise<WsResult<T>> {
    await this.ensureToken();
    let result = await this.send<T>(operation, args, kind);
    if (result.HasExpired) {
      await this.renew();
      result = await this.send<T>(operation, args, kind);
      if (result.HasExpired)
        throw new AccountingTransientError(
          `accountsIQ ${operation}: the session expired again after renewal`,
        );
    }
    return result;
  }

  /** Logs in (TokenGet) and returns the result, for the connection test. */
  async authenticate(): Promise<void> {
    this.tokens = undefined;
    await this.ensureToken();
  }

  async close(): Promise<void> {
    this.tokens = undefined;
    this.client = undefined;
  }

  private async ensureToken(): Promise<void> {
    if (this.tokens) return;
    this.login ??= this.tokenGet().finally(() => {
      this.login = undefined;
    });
    await this.login;
  }

  private async renew(): Promise<void> {
    const stale = this.tokens;
    this.tokens = undefined;
    if (stale) {
      const refreshed = await this.send<{ AccessToken: string; RefreshToken: string }>(
        'TokenRefresh',
        { refreshToken: stale.refresh },
        'read',
        false,
      );
      if (SUCCESS_STATUSES.has(refreshed.Status) && refreshed.Result) {
        this.tokens = {
          access: refreshed.Result.AccessToken,
          refresh: refreshed.Result.RefreshToken,
        };
        return;
      }
    }
    await this.ensureToken();
  }

  private async tokenGet(): Promise<void> {
    const result = await this.send<{ AccessToken: string; RefreshToken: string }>(
      'TokenGet',
      { clientId: this.config.clientId, clientSecret: this.config.clientSecret },
      'read',
      false,
    );
    if (!SUCCESS_STATUSES.has(result.Status) || !result.Result)
      throw new AiqAuthError(
        `accountsIQ refused the login for company ${this.config.entity}: ${result.ErrorCode}${
          result.ErrorMessage ? ` (${this.scrub(result.ErrorMessage)})` : ''
        }`,
      );
    this.tokens = { access: result.Result.AccessToken, refresh: result.Result.RefreshToken };
  }

  private getClient(): Promise<Client> {
    this.client ??= soap
      .createClientAsync(`${this.config.endpoint}?wsdl`, {
        customDeserializer: KEEP_AS_TEXT,
        endpoint: this.config.endpoint,
        // Read once per endpoint and process (soap's cache), with room for a slow first read.
        wsdl_options: { timeout: Math.max(this.timeoutMs, WSDL_TIMEOUT_MS) },
      })
      .catch((err: unknown) => {
        this.client = undefined;
        throw new AccountingTransientError(
          `accountsIQ is unreachable (WSDL at ${this.config.endpoint}?wsdl): ${this.describe(err)}`,
        );
      });
    return this.client;
  }

  private header(withToken: boolean): string {
    const access =
      withToken && this.tokens ? `<AccessToken>${xmlText(this.tokens.access)}</AccessToken>` : '';
    return `<AiqSoapHeader xmlns="${AIQ_NAMESPACE}">${access}<Entity>${xmlText(this.config.entity)}</Entity></AiqSoapHeader>`;
  }

  private async send<T>(
    operation: string,
    args: object,
    kind: CallKind,
    withToken = true,
  ): Promise<WsResult<T>> {
    const client = await this.getClient();
    const method = (client as unknown as Record<string, unknown>)[`${operation}Async`] as
      | ((
          args: object,
          options: object,
          extraHeaders?: object,
        ) => Promise<[Record<string, unknown>]>)
      | undefined;
    if (!method) throw new Error(`the accountsIQ WSDL has no operation ${operation}`);
    // The header is set per call: concurrent calls share this client, and a renewal changes it.
    client.clearSoapHeaders();
    client.addSoapHeader(this.header(withToken));
    try {
      const [body] = await method.call(client, args, { timeout: this.timeoutMs });
      const result = body?.[`${operation}Result`] as WsResult<T> | undefined;
      if (!result)
        throw new AccountingTransientError(`accountsIQ ${operation}: the answer has no result`);
      return {
        ...result,
        HasExpired: result.HasExpired === true || String(result.HasExpired) === 'true',
      };
    } catch (err) {
      if (err instanceof AccountingTransientError) throw err;
      throw this.transportError(operation, err, kind);
    }
  }

  /** Before sending (refused, unknown host, 503): transient. After sending: unknown for writes. */
  private transportError(operation: string, err: unknown, kind: CallKind): Error {
    const e = (err ?? {}) as TransportError;
    const what = `accountsIQ ${operation}: ${this.describe(err)}`;
    const notSent = (e.code !== undefined && NOT_SENT.has(e.code)) || e.response?.status === 503;
    if (notSent || kind === 'read') return new AccountingTransientError(what);
    return new AccountingOutcomeUnknown(what);
  }

  private describe(err: unknown): string {
    const e = (err ?? {}) as TransportError;
    const fault = e.root?.Envelope?.Body?.Fault?.faultstring;
    const status = e.response?.status;
    const parts = [
      e.code,
      status !== undefined ? `HTTP ${status}` : undefined,
      fault ?? (typeof e.message === 'string' ? e.message.split('\n')[0] : undefined),
    ].filter((p): p is string => Boolean(p));
    return this.scrub(parts.join(' ') || 'transport error');
  }

  /** Removes the client secret from any text that leaves this class. */
  private scrub(text: string): string {
    const secret = this.config.clientSecret;
    return secret ? text.split(secret).join('***') : text;
  }
}

function xmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
