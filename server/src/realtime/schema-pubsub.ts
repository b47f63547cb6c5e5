import type { PubSub } from 'type-graphql';

/**
 * type-graphql refuses to build a schema with subscriptions unless given a PubSub, but ours take
 * their events from the replica's TransferEventHub through `subscribe` functions (the hub comes
 * with each request's services, so two servers in one process stay apart). Topic-based
 * subscriptions would be a mistake here, so this one says so.
 */
export const SUBSCRIBE_FUNCTIONS_ONLY: PubSub = {
  publish() {
    throw new Error(
      'Topic-based subscriptions are not used: give @Subscription a subscribe function over the TransferEventHub',
    );
  },
  subscribe() {
    throw new Error(
      'Topic-based subscriptions are not used: give @Subscription a subscribe function over the TransferEventHub',
    );
  },
};
