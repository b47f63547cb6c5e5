import { createMockClient, type MockApolloClient } from 'mock-apollo-client';
import { createCache } from '@/app/apollo';

/**
 * An Apollo client with the app's cache policies whose requests are answered by handlers
 * set per document: `client.setRequestHandler(InvoiceListDocument, async (vars) => ({ data }))`.
 * Requests without a handler fail the test.
 */
export function createTestClient(): MockApolloClient {
  return createMockClient({ cache: createCache(), missingHandlerPolicy: 'throw-error' });
}
