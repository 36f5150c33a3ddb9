import { randomBytes } from 'node:crypto';

/**
 * What a public code looks like: the codes printed into QR codes for batches (`/t/CODE`) and registration cards
 * (`/o/CODE`). Made here, read everywhere, so every reader accepts exactly what was made (and older codes of
 * 1 to 32 URL-safe characters).
 */
export const PUBLIC_CODE_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

export function isPublicCode(text: string): boolean {
  return PUBLIC_CODE_PATTERN.test(text);
}

/** A new public code: 96 random bits, URL-safe, never derived from an id. */
export function newPublicCode(): string {
  return randomBytes(12).toString('base64url');
}
