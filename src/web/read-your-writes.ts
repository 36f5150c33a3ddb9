import type { FastifyInstance, FastifyRequest } from 'fastify';
import { WRITTEN_AT_COOKIE, WRITTEN_AT_HEADER, WRITTEN_AT_MAX_AGE_S, type ReadRequest, type ReadRoute } from '../db/read-route';
import { isGraphqlMutation } from '../limits/rate-limits';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The client's read-your-writes marker: the header an API client sends back, else the cookie a browser keeps. */
export function readRequestOf(request: FastifyRequest): ReadRequest {
  const header = request.headers[WRITTEN_AT_HEADER];
  if (typeof header === 'string' && header) return { writtenAt: header.trim() };
  const cookie = request.headers.cookie ?? '';
  for (const part of cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === WRITTEN_AT_COOKIE) return { writtenAt: decodeURIComponent(value.join('=')) };
  }
  return { writtenAt: null };
}

/**
 * After a successful write (a GraphQL mutation, a form or upload), the response carries the primary's WAL position
 * as a short-lived cookie and a header; a public lookup of the same client then reads the replica only once it has
 * replayed that far, so a code just written is found.
 */
export function registerReadYourWrites(fastify: FastifyInstance, route: ReadRoute): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (READS.has(request.method) || reply.statusCode >= 400) return payload;
    if (request.routeOptions.url === '/graphql' && !isGraphqlMutation(request)) return payload;
    try {
      const lsn = await route.primaryPosition();
      reply.header(WRITTEN_AT_HEADER, lsn);
      reply.header('set-cookie', `${WRITTEN_AT_COOKIE}=${encodeURIComponent(lsn)}; Max-Age=${WRITTEN_AT_MAX_AGE_S}; Path=/; HttpOnly; SameSite=Lax`);
    } catch (err) {
      // without the marker the client may read a replica a little behind its write, within READ_MAX_LAG_MS
      request.log.warn({ err: { message: (err as Error).message } }, 'read-your-writes marker not set');
    }
    return payload;
  });
}
