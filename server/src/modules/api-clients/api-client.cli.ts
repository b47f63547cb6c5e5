import type { EntityManager } from '@mikro-orm/postgresql';
import { Organization } from '../organizations/organization.entity.js';
import { createApiClient, parseScopes } from './api-client.service.js';

/** `pnpm ledgerlink token create --org SLUG --scopes read,write,export [--name NAME]` */
export async function createTokenCommand(em: EntityManager, flags: Record<string, string | true>) {
  if (typeof flags.org !== 'string') throw new Error('--org SLUG is required');
  const org = await em.findOne(Organization, { slug: flags.org });
  if (!org) throw new Error(`no organization with slug "${flags.org}"`);
  const scopes = parseScopes(typeof flags.scopes === 'string' ? flags.scopes : 'read');
  const name =
    typeof flags.name === 'string'
      ? flags.name
      : `CLI token ${new Date().toISOString().slice(0, 16)}`;
  const { client, token } = await createApiClient(em, org, name, scopes, null);
  return {
    summary: `created API token "${client.name}" for ${org.slug} with scopes ${scopes.join(',')} (shown once; keep it safe)`,
    token,
  };
}
