import { unwrapResolverError } from '@apollo/server/errors';
import {
  ConnectionException,
  DriverException,
  NotFoundError,
  UniqueConstraintViolationException,
  ForeignKeyConstraintViolationException,
  CheckConstraintViolationException,
  NotNullConstraintViolationException,
} from '@mikro-orm/core';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { DatabaseError } from 'pg';
import { AppError } from './errors';
import { loggableError } from './log-safe';

interface Log {
  error(obj: unknown, msg?: string): void;
}

const KEEP = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'OPERATION_RESOLUTION_FAILURE']);

/** Maps ORM errors to typed codes in one place and masks everything unknown. */
export function formatError(formatted: GraphQLFormattedError, error: unknown, log?: Log): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { locations: formatted.locations, path: formatted.path };
  if (original instanceof AppError) {
    // `http` only sets the response status; it is not part of the error a client reads
    const { http: _http, ...extensions } = original.extensions as Record<string, unknown>;
    return { ...base, message: original.message, extensions };
  }
  if (original instanceof NotFoundError) return { ...base, message: 'Not found', extensions: { code: 'NOT_FOUND' } };
  if (original instanceof UniqueConstraintViolationException) {
    return { ...base, message: 'Conflicts with an existing record', extensions: { code: 'CONFLICT' } };
  }
  if (
    original instanceof ForeignKeyConstraintViolationException ||
    original instanceof CheckConstraintViolationException ||
    original instanceof NotNullConstraintViolationException
  ) {
    return { ...base, message: 'The input breaks a data rule', extensions: { code: 'BAD_USER_INPUT' } };
  }
  if (original instanceof ConnectionException || isUnavailable(original)) {
    return { ...base, message: 'The database is unavailable; try again shortly', extensions: { code: 'UNAVAILABLE' } };
  }
  // the ORM wraps the driver's error; the public lookups' own pool hands it over as it is
  if ((original instanceof DriverException || original instanceof DatabaseError) && (original as { code?: string }).code === '57014') {
    return { ...base, message: 'The query took too long', extensions: { code: 'TIMEOUT' } };
  }
  // graphql-js stops coercing variables after 50 bad values; the request was bad input, not a fault
  if (original instanceof GraphQLError && !original.originalError && /^Too many errors processing variables/.test(original.message)) {
    return { ...base, message: original.message, extensions: { code: 'BAD_USER_INPUT' } };
  }
  // Apollo refuses a malformed request (an automatic persisted query whose hash does not match, an unknown
  // version) with a plain GraphQLError carrying only a 4xx status: the client's mistake, not a fault
  const status = (original as GraphQLError | undefined)?.extensions?.http as { status?: number } | undefined;
  if (original instanceof GraphQLError && !original.originalError && original.extensions.code === undefined && status?.status && status.status >= 400 && status.status < 500) {
    return { ...base, message: original.message, extensions: { code: 'BAD_REQUEST' } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && KEEP.has(code) && !(original instanceof DriverException)) {
    return { ...base, message: formatted.message, extensions: { code } };
  }
  if (original instanceof GraphQLError && !original.originalError && typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') {
    return { ...base, message: formatted.message, extensions: { code } };
  }
  log?.error({ err: loggableError(original) }, 'unexpected error');
  return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

function isUnavailable(e: unknown, depth = 0): boolean {
  if (!e || depth > 3) return false;
  const message = e instanceof Error ? e.message : '';
  const code = (e as { code?: string })?.code;
  if (
    /Knex: Timeout acquiring a connection|ECONNREFUSED|ECONNRESET|EPIPE|Connection terminated|Connection ended unexpectedly|encountered a connection error|Transaction query already complete|connection timeout|is not queryable|terminating connection|the database system is (starting up|shutting down|in recovery mode)/i.test(message) ||
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006'].includes(code ?? '')
  ) {
    return true;
  }
  // the ORM wraps the driver's error; the cause tells whether the connection went away.
  // "Transaction query already complete": the connection died inside a transaction and knex ended it
  const inner = e as { previous?: unknown; cause?: unknown };
  return isUnavailable(inner.previous, depth + 1) || isUnavailable(inner.cause, depth + 1);
}
