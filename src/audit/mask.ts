/**
 * What of a request's variables the audit trail keeps: ids, codes, quantities and choices as sent; secrets and
 * personal data replaced by `MASK` wherever they sit, at any depth. A key is masked by name, whatever the operation.
 */
export const MASK = '***';

/** Secrets and personal data, by argument or input-field name (compared case-insensitively). */
const MASKED_KEYS = new Set(
  ['token', 'secret', 'password', 'contactPerson', 'contactPhone', 'phone', 'idNumber', 'idCardNo', 'address', 'tester', 'host', 'hostName', 'hostPhone', 'contact']
    .map((k) => k.toLowerCase()),
);

/** Operations whose `name` argument names a person (an account), not a business or a product. */
const PERSON_NAME_OPERATIONS = new Set(['createAccount']);

const MAX_STRING = 200;
const MAX_ITEMS = 50;

/** A copy of `variables` fit for the audit trail. */
export function maskVariables(variables: Record<string, unknown> | undefined, operations: readonly string[]): Record<string, unknown> {
  const personName = operations.some((o) => PERSON_NAME_OPERATIONS.has(o));
  const walk = (value: unknown, depth: number): unknown => {
    if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
    if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
    if (depth > 6) return MASK;
    if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((v) => walk(v, depth + 1));
    if (typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const masked = MASKED_KEYS.has(k.toLowerCase()) || (personName && k === 'name');
        out[k] = masked && v !== null && v !== undefined ? MASK : walk(v, depth + 1);
      }
      return out;
    }
    return null;
  };
  return (walk(variables ?? {}, 0) as Record<string, unknown>) ?? {};
}
