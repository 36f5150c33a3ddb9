import type { FastifyReply } from 'fastify';
import { formatError } from '../format-error';

/** What a plain-HTTP route answers for a failure: its status and the typed code, message and field a client reads. */
export interface HttpFailure {
  status: number;
  code: string;
  message: string;
  field?: string;
}

interface Log {
  error(obj: unknown, msg?: string): void;
}

/** The HTTP status of each error code; a code missing here is a fault (500). */
const STATUS: Record<string, number> = {
  BAD_REQUEST: 400,
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
  UNAVAILABLE: 503,
  TIMEOUT: 503,
};

/** A failure the route decides itself, with the status its code carries. */
export function failure(code: string, message: string, field?: string): HttpFailure {
  return { status: STATUS[code] ?? 500, code, message, ...(field ? { field } : {}) };
}

/**
 * Any thrown error as a failure: typed errors keep their code, driver errors are typed as GraphQL types them
 * (`formatError`), everything else is a masked INTERNAL_SERVER_ERROR that `log` receives.
 */
export function failureOf(error: unknown, log?: Log): HttpFailure {
  const formatted = formatError({ message: '' }, error, log);
  const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : 'INTERNAL_SERVER_ERROR';
  const field = formatted.extensions?.field;
  return failure(code, formatted.message, typeof field === 'string' ? field : undefined);
}

/** Answers `{ error: { code, message, field? } }` with the failure's status; no cache keeps it. */
export function sendFailure(reply: FastifyReply, f: HttpFailure): FastifyReply {
  return reply
    .code(f.status)
    .header('cache-control', 'no-store')
    .send({ error: { code: f.code, message: f.message, ...(f.field ? { field: f.field } : {}) } });
}

/**
 * The same failure in the flat shape GS1 resolvers answer with, `{ error: code, message }`: the QR images and the
 * Digital Link resolver keep it for the scanners that read it.
 */
export function sendFlatFailure(reply: FastifyReply, f: HttpFailure): FastifyReply {
  return reply.code(f.status).header('cache-control', 'no-store').send({ error: f.code, message: f.message });
}

/**
 * The status of a page that could not be built: a database that is away or too slow is temporary (503), anything
 * else a fault (500). Pages that have a friendly page for a missing or bad input check `failureOf` first.
 */
export function pageFailureStatus(error: unknown): number {
  const { status } = failureOf(error);
  return status >= 500 ? status : 500;
}
