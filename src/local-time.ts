/**
 * Local dates and offsets in the county's time zone (`Config.timeZone`): market days, quarters and the offsets
 * printed into exported events follow it.
 */

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(timeZone: string): Intl.DateTimeFormat {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, format);
  }
  return format;
}

/** The local calendar date of an instant, `YYYY-MM-DD`. */
export function localDate(at: Date, timeZone: string): string {
  return dateFormat(timeZone).format(at);
}

/** The zone's offset from UTC at an instant, `+08:00`. */
export function utcOffset(timeZone: string, at: Date = new Date()): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = part ? /GMT([+-]\d{2}:\d{2})?/.exec(part) : null;
  return m?.[1] ?? '+00:00';
}

/** The instant a local date begins (00:00 local time). */
export function localDayStart(date: string, timeZone: string): Date {
  const noonUtc = new Date(`${date}T12:00:00Z`);
  return new Date(`${date}T00:00:00${utcOffset(timeZone, noonUtc)}`);
}

/** The local date `days` after (or before, when negative) a local date, both `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
