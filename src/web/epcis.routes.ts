import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badInput } from '../errors';
import { EpcisDirection, lineageEpcisDocument } from '../trace/epcis.service';
import * as v from '../validation';
import { failureOf, sendFailure } from './http-errors';
import { regulatorOrRefuse, singleValues } from './regulator-api';
import type { WebDeps } from './request-context';

const QUERY_KEYS = ['direction', 'maxDepth', 'maxNodes'] as const;
const DIRECTIONS: Record<string, EpcisDirection> = { backward: EpcisDirection.BACKWARD, forward: EpcisDirection.FORWARD, both: EpcisDirection.BOTH };

/** The export's arguments from the path and query string, with the names and checks of the GraphQL query. */
export function exportArgs(file: string, query: Record<string, unknown>) {
  const m = /^([^.]+)\.jsonld$/.exec(file);
  if (!m) throw badInput('id', 'the path must be /epcis/batches/{id}.jsonld');
  const batchId = v.id('id', m[1]);
  const q = singleValues(query, QUERY_KEYS, 'parameter');
  const direction = DIRECTIONS[q.direction ?? 'both'];
  if (!direction) throw badInput('direction', 'must be backward, forward or both');
  const int = (key: string, value: string | undefined) => {
    if (value === undefined) return null;
    if (!/^\d{1,6}$/.test(value)) throw badInput(key, 'must be a whole number');
    return Number(value);
  };
  return { batchId, direction, bounds: { maxDepth: int('maxDepth', q.maxDepth), maxNodes: int('maxNodes', q.maxNodes) } };
}

/** `GET /epcis/batches/:id.jsonld?direction=backward|forward|both` — the EPCIS 2.0 export, for regulators. */
export async function registerEpcisRoutes(fastify: FastifyInstance, _deps: WebDeps): Promise<void> {
  fastify.get('/epcis/batches/:file', async (request: FastifyRequest<{ Params: { file: string } }>, reply) => {
    const ctx = await regulatorOrRefuse(request, reply);
    if (!ctx) return reply;
    try {
      const { batchId, direction, bounds } = exportArgs(request.params.file, request.query as Record<string, unknown>);
      const document = await lineageEpcisDocument(ctx, batchId, direction, bounds);
      return reply.header('content-type', 'application/ld+json; charset=utf-8').header('cache-control', 'no-store').send(JSON.stringify(document));
    } catch (e) {
      return sendFailure(reply, failureOf(e, request.log));
    }
  });
}
