import { badInput } from '../errors';

const CLIENT_KEY = /^[A-Za-z0-9._:-]{1,64}$/;

/** A device's idempotency key (scanId, testId): 1 to 64 letters, digits or . _ : - (a UUID fits). */
export function clientKey(field: string, raw: string | null | undefined): string {
  const key = (raw ?? '').trim();
  if (!CLIENT_KEY.test(key)) throw badInput(field, 'must be 1 to 64 letters, digits or . _ : -');
  return key;
}
