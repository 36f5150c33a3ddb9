import { createHash, randomBytes } from 'node:crypto';

/** A new bearer token; shown once, stored only as its hash. */
export function newToken(): string {
  return `ft_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
