/**
 * The local accountsIQ service: an HTTP server answering SOAP at
 * /system/dashboard/integration/integration_2_0.asmx (WSDL at `?wsdl`), with state per
 * company, for the contract tests, the chaos runs and the demo.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import soap from 'soap';
import { KEEP_AS_TEXT, readWsdl } from '../wsdl-file.js';
import { LocalCompany, type LocalCompanySeed, type LocalTransaction } from './company.js';
import { FaultPlan, type LocalFaultKind, type LocalFaultOptions } from './faults.js';
import { RequestValidator } from './request-validation.js';
import { createServices } from './service.js';

export const SERVICE_PATH = '/system/dashboard/integration/integration_2_0.asmx';

export interface LocalAccountsIq {
  /** The endpoint (WSDL at `${url}?wsdl`). */
  url: string;
  close(): Promise<void>;
  addCompany(seed: LocalCompanySeed): void;
  injectFault(fault: LocalFaultKind, opts?: LocalFaultOptions): void;
  clearFaults(): void;
  /** Faults injected and not yet spent. */
  faultsPending(): number;
  /** The posted transactions of a company, oldest first (tests count duplicates with it). */
  transactions(entity: string): readonly LocalTransaction[];
  /** Every way an incoming request failed to match the WSDL (the service refused those). */
  readonly wsdlViolations: readonly string[];
  /** Lets every token of a company lapse now, as 20 idle minutes would. */
  expireTokens(entity: string): void;
  /** How many access tokens the company has issued (TokenGet and TokenRefresh). */
  tokensIssued(entity: string): number;
}

/** The WSDL parsed on its own, for checking requests against its schema types. */
async function loadValidator(xml: string): Promise<RequestValidator> {
  const wsdl = new soap.WSDL(xml, 'urn:local-accountsiq', { customDeserializer: KEEP_AS_TEXT });
  await new Promise<void>((resolve, reject) =>
    wsdl.onReady((err?: Error) => (err ? reject(err) : resolve())),
  );
  return new RequestValidator(wsdl);
}

export async function startLocalAccountsIq(
  options: { port?: number; host?: string; lateAnswerMs?: number } = {},
): Promise<LocalAccountsIq> {
  const companies = new Map<string, LocalCompany>();
  const faults = new FaultPlan(options.lateAnswerMs ?? 1000);
  const violations: string[] = [];
  const app = express();
  app.use(SERVICE_PATH, faults.middleware);
  const server = http.createServer(app);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const xml = readWsdl();
  const validator = await loadValidator(xml);
  let ready!: (err?: unknown) => void;
  const listening = new Promise<void>((resolve, reject) => {
    ready = (err) => (err ? reject(err as Error) : resolve());
  });
  soap.listen(app, {
    path: SERVICE_PATH,
    services: createServices({
      companies,
      validator,
      faults,
      violations,
    }),
    xml,
    customDeserializer: KEEP_AS_TEXT,
    callback: (err: unknown) => ready(err),
  } as Parameters<typeof soap.listen>[1]);
  await listening;
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}${SERVICE_PATH}`,
    wsdlViolations: violations,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    addCompany(seed) {
      if (companies.has(seed.entity)) throw new Error(`company ${seed.entity} exists already`);
      companies.set(seed.entity, new LocalCompany(seed));
    },
    injectFault: (fault, opts) => faults.add(fault, opts),
    clearFaults: () => faults.clear(),
    faultsPending: () => faults.pending,
    transactions(entity) {
      return companies.get(entity)?.transactions ?? [];
    },
    tokensIssued(entity) {
      return companies.get(entity)?.tokensIssued ?? 0;
    },
    expireTokens(entity) {
      for (const token of companies.get(entity)?.tokens.values() ?? []) token.expiresAt = 0;
    },
  };
}
