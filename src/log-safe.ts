import { DriverException } from '@mikro-orm/core';

/**
 * What of an error may be logged. Driver errors carry the SQL and its parameters (names, phone numbers),
 * so only their kind, SQLSTATE and constraint are kept; other errors keep their message and stack.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (error instanceof DriverException) {
    const e = error as DriverException & { code?: string; constraint?: string; table?: string };
    return { type: e.name, code: e.code, constraint: e.constraint, table: e.table };
  }
  if (error instanceof Error) {
    return { type: error.name, message: redact(error.message), stack: error.stack ? redact(error.stack) : undefined };
  }
  return { type: typeof error };
}

/** Long digit runs (phone numbers, credit codes) and bearer tokens never reach a log line. */
export function redact(text: string): string {
  return text.replace(/ft_[A-Za-z0-9_-]{20,}/g, 'ft_[redacted]').replace(/\+?\d[\d -]{6,}\d/g, '[digits]');
}
