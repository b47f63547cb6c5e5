import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { AccountingSystem } from './accounting/accounting-system.js';
import type { Caller } from './auth/authenticate.js';
import type { Config } from './config.js';
import type { ConnectedAccounting } from './modules/accounting-connections/connected-accounting.js';
import { createLoaders, type Loaders } from './loaders.js';
import type { TransferEventHub } from './modules/transfers/events/transfer-events.js';

/** Long-lived parts shared by every request of this process. */
export interface AppServices {
  config: Config;
  orm: MikroORM;
  accounting: AccountingSystem;
  /** Per-organization accounting connections (absent where nothing manages them, e.g. some tools). */
  connections?: ConnectedAccounting;
  log: Logger;
  /** Transfer status events for this replica's subscribers (absent where nothing subscribes, e.g. the CLI). */
  transferEvents?: TransferEventHub;
}

/** One GraphQL operation (HTTP request or subscription event): its own EntityManager. */
export interface RequestContext {
  services: AppServices;
  em: EntityManager;
  caller: Caller;
  requestId: string;
  log: Logger;
  loaders: Loaders;
  req?: Request;
  res?: Response;
}

export function createRequestContext(
  services: AppServices,
  caller: Caller,
  requestId: string,
  extra: { req?: Request; res?: Response; em?: EntityManager } = {},
): RequestContext {
  const em = extra.em ?? services.orm.em.fork();
  return {
    services,
    em,
    caller,
    requestId,
    log: services.log.child({ requestId }),
    loaders: createLoaders(em, services.accounting),
    req: extra.req,
    res: extra.res,
  };
}
