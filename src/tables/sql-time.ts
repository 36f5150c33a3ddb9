/**
 * A timestamptz as the driver hands it over (a Date, or PostgreSQL's text such as `2026-11-02 03:00:00.123456+00`)
 * as a Date. Precision is milliseconds, the precision every application-written time has.
 */
export function toDate(value: Date | string): Date;
export function toDate(value: Date | string | null): Date | null;
export function toDate(value: Date | string | null): Date | null {
  if (value === null || value instanceof Date) return value;
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d(?::?\d\d)?)$/.exec(value);
  if (!m) throw new Error(`unexpected timestamp text ${JSON.stringify(value)}`);
  const ms = (m[3] ?? '').slice(0, 3).padEnd(3, '0');
  const zone = m[4] === 'Z' ? 'Z' : m[4].length === 3 ? `${m[4]}:00` : m[4].replace(/^([+-]\d\d)(\d\d)$/, '$1:$2');
  return new Date(`${m[1]}T${m[2]}.${ms}${zone}`);
}
