import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { viewerForToken } from '../auth/account.service';
import type { Viewer } from '../auth/viewer';
import { Role } from '../entities/enums';
import { badInput } from '../errors';

/** A JSON error that no cache keeps; `field` names the input at fault. */
export function refuse(reply: FastifyReply, status: number, code: string, message: string, field?: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').send({ error: { code, message, ...(field ? { field } : {}) } });
}

/** The admin or regulator behind the request's bearer token; anyone else is answered 401 or 403 here, and gets null. */
export async function regulatorOrRefuse(orm: MikroORM, request: FastifyRequest, reply: FastifyReply): Promise<Viewer | null> {
  const m = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization?.trim() ?? '');
  const viewer = m ? await viewerForToken(orm.em.fork(), m[1]) : null;
  if (!viewer) {
    refuse(reply, 401, 'UNAUTHENTICATED', 'A valid bearer token is required');
    return null;
  }
  if (viewer.role !== Role.REGULATOR && viewer.role !== Role.ADMIN) {
    refuse(reply, 403, 'FORBIDDEN', 'Requires role ADMIN or REGULATOR');
    return null;
  }
  return viewer;
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
