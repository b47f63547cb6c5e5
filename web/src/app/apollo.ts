import {
  ApolloClient,
  ApolloLink,
  HttpLink,
  InMemoryCache,
  split,
  type NormalizedCacheObject,
  type TypePolicies,
} from '@apollo/client/core';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { onError } from '@apollo/client/link/error';
import { throttleRetryLink } from './throttle';
import { relayStylePagination, getMainDefinition } from '@apollo/client/utilities';
import { createClient, type Client as WsClient } from 'graphql-ws';
import possibleTypes from '@/gql/possible-types';

/**
 * Relay connections are cached per filter (the key args) and merged page by page, so
 * "Load more" appends to the list already on screen.
 */
export const typePolicies: TypePolicies = {
  Query: {
    fields: {
      invoices: relayStylePagination(['organizationId', 'tab', 'filter', 'orderBy']),
      transfers: relayStylePagination(['organizationId', 'status']),
      transferReports: relayStylePagination(['organizationId']),
      ledgerEntries: relayStylePagination(['organizationId', 'journal', 'reference']),
      suppliers: relayStylePagination(['organizationId', 'search']),
      payments: relayStylePagination(['organizationId']),
      bankStatements: relayStylePagination(['organizationId', 'accountId']),
      bankEntryQueue: relayStylePagination(['organizationId']),
      // Objects without an id: replace them whole on every fetch.
      viewer: { merge: false },
      masterData: { merge: false },
      transferSettings: { merge: false },
      invoiceTabCounts: { merge: false },
      // An invoice already in the cache (from a list row) shows at once on its detail page.
      invoice: {
        read(existing, { args, toReference }) {
          return (
            existing ??
            (args?.id ? toReference({ __typename: 'PurchaseInvoice', id: args.id }) : undefined)
          );
        },
      },
    },
  },
  BankStatement: {
    fields: {
      entries: relayStylePagination(),
      entryCounts: { merge: false },
    },
  },
  PurchaseInvoice: {
    fields: {
      history: relayStylePagination(),
      lines: { merge: false },
      transfers: { merge: false },
      payments: { merge: false },
      lastTransferErrors: { merge: false },
      transferBlockers: { merge: false },
      postingWarnings: { merge: false },
    },
  },
  ApprovalProcess: { fields: { stages: { merge: false } } },
  Transfer: { fields: { errors: { merge: false } } },
  Viewer: { keyFields: [] },
  InvoiceTabCount: { keyFields: false },
};

export function createCache(): InMemoryCache {
  return new InMemoryCache({ possibleTypes: possibleTypes.possibleTypes, typePolicies });
}

export interface ApolloSetup {
  client: ApolloClient<NormalizedCacheObject>;
  /** The subscription socket; null outside the browser. */
  ws: WsClient | null;
}

export interface CreateApolloOptions {
  httpUri?: string;
  wsUrl?: string;
  /** Called when the server says the session is gone (e.g. it expired). */
  onUnauthenticated?: () => void;
}

function defaultWsUrl(path: string): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}${path}`;
}

export function createApollo(options: CreateApolloOptions = {}): ApolloSetup {
  const httpUri = options.httpUri ?? '/graphql';
  const http = new HttpLink({
    uri: httpUri,
    credentials: 'same-origin',
    // Apollo Server's CSRF prevention rejects requests that could be "simple" without it.
    headers: { 'apollo-require-preflight': 'true' },
  });

  const errors = onError(({ graphQLErrors }) => {
    if (graphQLErrors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) {
      options.onUnauthenticated?.();
    }
  });

  let ws: WsClient | null = null;
  let transport: ApolloLink = http;
  if (typeof window !== 'undefined' && typeof WebSocket !== 'undefined') {
    ws = createClient({
      url: options.wsUrl ?? defaultWsUrl(httpUri),
      lazy: true,
      // Keep trying in the background; screens poll meanwhile, so nothing waits on it.
      retryAttempts: Infinity,
      shouldRetry: () => true,
      retryWait: async (retries) => {
        await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1000 * 2 ** retries)));
      },
    });
    transport = split(
      ({ query }) => {
        const definition = getMainDefinition(query);
        return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
      },
      new GraphQLWsLink(ws),
      http,
    );
  }

  const client = new ApolloClient({
    link: ApolloLink.from([errors, throttleRetryLink(), transport]),
    cache: createCache(),
    defaultOptions: {
      watchQuery: { fetchPolicy: 'cache-and-network', errorPolicy: 'none' },
    },
  });
  return { client, ws };
}
