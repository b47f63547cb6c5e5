import type { ActorFieldsFragment } from '@/gql/graphql';

/** "Mikko Korhonen", "API client Procountor sync", "Automatic transfer on behalf of Mikko Korhonen". */
export function actorLabel(actor: ActorFieldsFragment | null | undefined): string {
  if (!actor) return 'Ledgerlink';
  switch (actor.__typename) {
    case 'User':
      return actor.name;
    case 'ApiClient':
      return `API client “${actor.name}”`;
    case 'SystemActor':
      return actor.onBehalfOf ? `${actor.name} on behalf of ${actor.onBehalfOf.name}` : actor.name;
    default:
      return 'Ledgerlink';
  }
}

export function actorIcon(actor: ActorFieldsFragment | null | undefined): string {
  switch (actor?.__typename) {
    case 'User':
      return 'pi pi-user';
    case 'ApiClient':
      return 'pi pi-key';
    default:
      return 'pi pi-bolt';
  }
}
