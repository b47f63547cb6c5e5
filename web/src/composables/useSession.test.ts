import { afterEach, describe, expect, it } from 'vitest';
import { ViewerDocument } from '@/gql/graphql';
import { createTestClient } from '@/test/apollo';
import { viewer } from '@/test/fixtures';
import { permissionReason, roleAllows } from './usePermissions';
import { createSession, ORGANIZATION_STORAGE_KEY } from './useSession';

function twoOrganizations() {
  const v = viewer('ACCOUNTANT');
  return {
    ...v,
    organizations: [
      ...v.organizations,
      {
        __typename: 'Organization',
        id: 'org-b',
        slug: 'borealis',
        name: 'Borealis AB',
        role: 'VIEWER',
        currency: 'SEK',
      },
    ],
  } as typeof v;
}

describe('session', () => {
  afterEach(() => localStorage.clear());

  it('remembers the chosen organization and its role', async () => {
    const client = createTestClient();
    client.setRequestHandler(ViewerDocument, async () => ({
      data: { viewer: twoOrganizations() },
    }));
    const session = createSession(client);
    await session.load();
    expect(session.organization.value?.slug).toBe('aurora');
    expect(session.role.value).toBe('ACCOUNTANT');

    session.selectOrganization('org-b');
    expect(localStorage.getItem(ORGANIZATION_STORAGE_KEY)).toBe('org-b');
    expect(session.role.value).toBe('VIEWER');

    const again = createSession(client);
    await again.load();
    expect(again.organization.value?.name).toBe('Borealis AB');
  });

  it('falls back to the first organization when the stored one is gone', async () => {
    localStorage.setItem(ORGANIZATION_STORAGE_KEY, 'org-removed');
    const client = createTestClient();
    client.setRequestHandler(ViewerDocument, async () => ({ data: { viewer: viewer('ADMIN') } }));
    const session = createSession(client);
    await session.load();
    expect(session.organization.value?.slug).toBe('aurora');
  });

  it('is empty, not an error, when nobody is signed in', async () => {
    const client = createTestClient();
    client.setRequestHandler(ViewerDocument, async () => ({
      errors: [{ message: 'Sign in', extensions: { code: 'UNAUTHENTICATED' } }],
    }));
    const session = createSession(client);
    expect(await session.load()).toBeNull();
  });
});

describe('permissions', () => {
  it('mirror the server: viewer reads, approver approves, accountant exports, admin administers', () => {
    expect(roleAllows('VIEWER', 'READ')).toBe(true);
    expect(roleAllows('VIEWER', 'APPROVE')).toBe(false);
    expect(roleAllows('APPROVER', 'APPROVE')).toBe(true);
    expect(roleAllows('APPROVER', 'WRITE')).toBe(false);
    expect(roleAllows('ACCOUNTANT', 'EXPORT')).toBe(true);
    expect(roleAllows('ACCOUNTANT', 'ADMIN')).toBe(false);
    expect(roleAllows('ADMIN', 'ADMIN')).toBe(true);
    expect(roleAllows(null, 'READ')).toBe(false);
  });

  it('say why an action is not allowed', () => {
    expect(permissionReason('ACCOUNTANT', 'EXPORT')).toBeNull();
    expect(permissionReason('VIEWER', 'EXPORT')).toBe(
      'Transferring to accounting needs accounting rights (Accountant or Admin role). Your role here is Viewer.',
    );
  });
});
