import { createHash, randomBytes } from 'node:crypto';

/** Random secret for cookies and API tokens; only its SHA-256 is ever stored. */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export const API_TOKEN_PREFIX = 'llk_';
