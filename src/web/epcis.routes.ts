import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { viewerForToken } from '../auth/account.service';
import { Role } from '../entities/enums';
import { AppError, badInput } from '../errors';
import { EpcisDirection, lineageEpcisDocument } from '../trace/epcis.service';
import * as v from '../validation';
import type { WebDeps } from './routes';

const QUERY_KEYS = ['direction', 'maxDepth', 'maxNodes'] as const;
const DIRECTIONS: Record<string, EpcisDirection> = { backward: EpcisDirection.BACKWARD, forward: EpcisDirection.FORWARD, both: EpcisDirection.BOTH };
const STATUS: Record<string, number> = { BAD_USER_INPUT: 400, NOT_FOUND: 404 };

/** The export's arguments from the path and query string, with the names and checks of the GraphQL query. */
export function exportArgs(file: string, query: Record<string, unknown>) {
  const m = /^([^.]+)\.jsonld$/.exec(file);
  if (!m) throw badInput('id', 'the path must be /epcis/batches/{id}.jsonld');
  const batchId = v.id('id', m[1]);
  for (const key of Object.keys(query)) {
    if (!(QUERY_KEYS as readonly string[]).includes(key)) throw badInput(key, `is not a parameter (use ${QUERY_KEYS.join(', ')})`);
    if (typeof query[key] !== 'string') throw badInput(key, 'must be given once');
  }
  const q = query as Record<string, string | undefined>;
  const direction = DIRECTIONS[q.direction ?? 'both'];
  if (!direction) throw badInput('direction', 'must be backward, forward or both');
  const int = (key: string, value: string | undefined) => {
    if (value === undefined) return null;
    if (!/^\d{1,6}$/.test(value)) throw badInput(key, 'must be a whole number');
    return Number(value);
  };
  return { batchId, direction, bounds: { maxDepth: int('maxDepth', q.maxDepth), maxNodes: int('maxNodes', q.maxNodes) } };
}

function refuse(reply: FastifyReply, status: number, code: string, message: string, field?: string) {
  return reply.code(status).header('cache-control', 'no-store').send({ error: { code, message, ...(field ? { field } : {}) } });
}

/** `GET /epcis/batches/:id.jsonld?direction=backward|forward|both` — the EPCIS 2.0 export, for regulators. */
export async function registerEpcisRoutes(fastify: FastifyInstance, { orm, config }: WebDeps): Promise<void> {
  fastify.get('/epcis/batches/:file', async (request: FastifyRequest<{ Params: { file: string } }>, reply) => {
    const m = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization?.trim() ?? '');
    const viewer = m ? await viewerForToken(orm.em.fork(), m[1]) : null;
    if (!viewer) return refuse(reply, 401, 'UNAUTHENTICATED', 'A valid bearer token is required');
    if (viewer.role !== Role.REGULATOR && viewer.role !== Role.ADMIN) return refuse(reply, 403, 'FORBIDDEN', 'Requires role ADMIN or REGULATOR');
    try {
      const { batchId, direction, bounds } = exportArgs(request.params.file, request.query as Record<string, unknown>);
      const document = await lineageEpcisDocument({ em: orm.em.fork(), config }, batchId, direction, bounds);
      return reply.header('content-type', 'application/ld+json; charset=utf-8').header('cache-control', 'no-store').send(JSON.stringify(document));
    } catch (e) {
      if (e instanceof AppError && STATUS[e.extensions.code as string]) {
        return refuse(reply, STATUS[e.extensions.code as string], e.extensions.code as string, e.message, e.extensions.field as string | undefined);
      }
      throw e;
    }
  });
}
