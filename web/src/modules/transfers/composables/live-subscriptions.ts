import gql from 'graphql-tag';
import type { DocumentNode } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  TransferBatchProgressFragmentDoc,
  TransferLiveFragmentDoc,
  type TransferBatchProgressFragment,
  type TransferLiveFragment,
  type TransferStatus,
} from '@/gql/graphql';

/*
 * The subscriptions named in DESIGN.md. They are written by hand until `Subscription` is in
 * the committed schema/schema.graphql; then they move to transfer-*.subscription.graphql
 * and codegen types them like every other operation.
 */

/** Appends fragment definitions (generated documents carry no source for graphql-tag). */
function withFragments(document: DocumentNode, ...fragments: DocumentNode[]): DocumentNode {
  return {
    ...document,
    definitions: [...document.definitions, ...fragments.flatMap((f) => f.definitions)],
  };
}

export interface TransferBatchProgressSubscription {
  transferBatchProgress: TransferBatchProgressFragment;
}

export const TransferBatchProgressSubscriptionDocument: TypedDocumentNode<
  TransferBatchProgressSubscription,
  { batchId: string }
> = withFragments(
  gql`
    subscription TransferBatchProgressLive($batchId: ID!) {
      transferBatchProgress(batchId: $batchId) {
        ...TransferBatchProgress
      }
    }
  `,
  TransferBatchProgressFragmentDoc,
);

export interface TransferStatusChangedSubscription {
  transferStatusChanged: {
    status: TransferStatus;
    final: boolean;
    batchId: string | null;
    invoiceId: string | null;
    occurredAt: string;
    transfer: TransferLiveFragment;
  };
}

export const TransferStatusChangedSubscriptionDocument: TypedDocumentNode<
  TransferStatusChangedSubscription,
  { organizationId: string }
> = withFragments(
  gql`
    subscription TransferStatusChangedLive($organizationId: ID!) {
      transferStatusChanged(organizationId: $organizationId) {
        status
        final
        batchId
        invoiceId
        occurredAt
        transfer {
          ...TransferLive
        }
      }
    }
  `,
  TransferLiveFragmentDoc,
);
