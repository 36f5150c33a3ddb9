import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../context';
import { Role } from '../entities/enums';
import { AppError, badInput } from '../errors';
import { failure, failureOf, sendFailure } from './http-errors';

/** The request's context when an admin or regulator is behind its bearer token; anyone else is answered 401 or 403 here, and gets null. */
export async function regulatorOrRefuse(request: FastifyRequest, reply: FastifyReply): Promise<Context | null> {
  let ctx: Context | null = null;
  try {
    ctx = await request.context();
  } catch (e) {
    if (!(e instanceof AppError && e.extensions.code === 'UNAUTHENTICATED')) {
      sendFailure(reply, failureOf(e, request.log));
      return null;
    }
  }
  const viewer = ctx?.viewer;
  if (!ctx || !viewer?.accountId) {
    sendFailure(reply, failure('UNAUTHENTICATED', 'A valid bearer token is required'));
    return null;
  }
  if (viewer.role !== Role.REGULATOR && viewer.role !== Role.ADMIN) {
    sendFailure(reply, failure('FORBIDDEN', 'Requires role ADMIN or REGULATOR'));
    return null;
  }
  return ctx;
}

/**
 * The query string as one value a key. A key outside `keys` (`noun` says what the keys are) or a key given twice
 * is BAD_USER_INPUT naming that key.
 */
export function singleValues(query: Record<string, unknown>, keys: readonly string[], noun: string): Record<string, string | undefined> {
  for (const key of Object.keys(query)) {
    if (!keys.includes(key)) throw badInput(key, `is not a ${noun} (use ${keys.join(', ')})`);
    if (typeof query[key] !== 'string') throw badInput(key, 'must be given once');
  }
  return query as Record<string, string | undefined>;
}
