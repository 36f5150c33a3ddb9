/**
 * A PostgreSQL `date` as the driver hands it over — text, or a Date the driver built at local midnight — as
 * `YYYY-MM-DD`. A calendar date has no time zone; it is never converted.
 */
export function dateText(value: Date | string | null): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value.slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}
