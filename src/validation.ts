import { badInput } from './errors';
import { roundQuantity } from './quantity';

// C0 and C1 controls and DEL; tab, line feed and carriage return are judged by the field (see `text`)
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
// with the u flag a surrogate matches only when it is not half of a pair
const LONE_SURROGATE = /\p{Cs}/u;
const LINE_BREAK_OR_TAB = /[\r\n\t]/;

/**
 * The rule every text input obeys, at the edge and again in the services: well-formed Unicode (no lone surrogate,
 * which PostgreSQL would store as U+FFFD and so change the text and its hash), no NUL or other control character
 * but tab, line feed and carriage return; the accepted text is returned in NFC, so one text has one stored form.
 */
export function wellFormedText(field: string, value: string): string {
  if (LONE_SURROGATE.test(value)) throw badInput(field, 'must be well-formed Unicode (no lone surrogates)');
  if (CONTROL.test(value)) throw badInput(field, 'must not contain control characters');
  return value.normalize('NFC');
}

/**
 * Applies `wellFormedText` to every string of an argument value — input objects and lists at any depth — in place,
 * naming the input field (or the argument) a bad string sits in. Other values (numbers, dates) are left alone.
 */
export function wellFormedTextTree(field: string, value: unknown): unknown {
  if (typeof value === 'string') return wellFormedText(field, value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = wellFormedTextTree(field, value[i]);
    return value;
  }
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = wellFormedTextTree(key, record[key]);
  }
  return value;
}

/**
 * Trims, bounds and checks a text by `wellFormedText`; tab and line breaks only where `multiline` allows them.
 * Returns the NFC form, or null for an empty optional value.
 */
export function text(field: string, value: string | null | undefined, max: number, opts: { optional: true; multiline?: boolean }): string | null;
export function text(field: string, value: string | null | undefined, max: number, opts?: { optional?: false; multiline?: boolean }): string;
export function text(field: string, value: string | null | undefined, max: number, opts: { optional?: boolean; multiline?: boolean } = {}): string | null {
  const trimmed = wellFormedText(field, value ?? '').trim();
  if (!trimmed) {
    if (opts.optional) return null;
    throw badInput(field, 'must not be empty');
  }
  if (trimmed.length > max) throw badInput(field, `must be at most ${max} characters`);
  if (!opts.multiline && LINE_BREAK_OR_TAB.test(trimmed)) throw badInput(field, 'must not contain control characters');
  return trimmed;
}

/** A positive quantity with at most 3 decimals, below 10^11. */
export function quantity(field: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw badInput(field, 'must be a positive number');
  if (value >= 1e11) throw badInput(field, 'is too large');
  if (roundQuantity(value) !== value) throw badInput(field, 'must have at most 3 decimal places');
  return value;
}

/** A date that is not in the future (a minute of clock skew is tolerated) nor before 2000. */
export function pastDate(field: string, value: Date, now = new Date()): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw badInput(field, 'must be a valid date');
  if (value.getTime() > now.getTime() + 60_000) throw badInput(field, 'must not be in the future');
  if (value.getUTCFullYear() < 2000) throw badInput(field, 'must not be before 2000');
  return value;
}

export function id(field: string, value: string | number): number {
  const n = typeof value === 'number' ? value : /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n <= 0 || n > 2147483647) throw badInput(field, 'is not a valid id');
  return n;
}

export function pageSize(field: string, value: number | null | undefined, fallback = 20, max = 100): number {
  if (value === null || value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) throw badInput(field, `must be between 1 and ${max}`);
  return value;
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The GB 32100 check character for the first 17 characters, or null if one is not allowed. */
export function usccCheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARS.indexOf(first17[i]);
    if (v < 0) return null;
    sum += v * USCC_WEIGHTS[i];
  }
  const c = 31 - (sum % 31);
  return USCC_CHARS[c === 31 ? 0 : c];
}

export function creditCode(field: string, value: string): string {
  const code = value.trim().toUpperCase();
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) throw badInput(field, 'must be 18 characters of the GB 32100 alphabet');
  if (usccCheckChar(code.slice(0, 17)) !== code[17]) throw badInput(field, 'check digit does not match (GB 32100)');
  return code;
}

/** GTIN-8/12/13/14 with a valid GS1 check digit, normalised to 14 digits. */
export function gtin(field: string, value: string): string {
  const digits = value.trim();
  if (!/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(digits)) throw badInput(field, 'must be 8, 12, 13 or 14 digits');
  if (!gtinValid(digits)) throw badInput(field, 'check digit does not match (GS1)');
  return digits.padStart(14, '0');
}

export function gtinValid(digits: string): boolean {
  if (!/^\d{8,14}$/.test(digits)) return false;
  const body = digits.slice(0, -1);
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = Number(body[body.length - 1 - i]);
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10 === Number(digits[digits.length - 1]);
}
