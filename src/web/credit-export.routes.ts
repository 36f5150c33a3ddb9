import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { creditArchiveCsv, type ArchiveFilterData } from '../credit/archive.service';
import { Grade, OperatorKind } from '../entities/enums';
import { badInput } from '../errors';
import { failure, failureOf, sendFailure } from './http-errors';
import { regulatorOrRefuse, singleValues } from './regulator-api';
import type { WebDeps } from './request-context';

const FILTER_KEYS = ['grade', 'kind', 'village', 'scoreMin', 'scoreMax', 'rule', 'from', 'to', 'operatorId'] as const;

/** The archive filter from a query string, with the same names and checks as GraphQL's CreditArchiveFilter. */
export function filterFromQuery(query: Record<string, unknown>): ArchiveFilterData {
  const q = singleValues(query, FILTER_KEYS, 'filter');
  const int = (key: string, value: string | undefined) => {
    if (value === undefined) return null;
    if (!/^-?\d{1,9}$/.test(value)) throw badInput(key, 'must be an integer');
    return Number(value);
  };
  const date = (key: string, value: string | undefined) => {
    if (value === undefined) return null;
    const d = new Date(value);
    if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value) || Number.isNaN(d.getTime())) throw badInput(key, 'must be an ISO date or date-time');
    return d;
  };
  return {
    grade: (q.grade as Grade | undefined) ?? null,
    kind: (q.kind as OperatorKind | undefined) ?? null,
    village: q.village ?? null,
    scoreMin: int('scoreMin', q.scoreMin),
    scoreMax: int('scoreMax', q.scoreMax),
    rule: q.rule ?? null,
    from: date('from', q.from),
    to: date('to', q.to),
    operatorId: q.operatorId ?? null,
  };
}

/** Each running export holds one pooled connection for its whole length; beyond this many, callers retry later. */
export const MAX_RUNNING_EXPORTS = 2;
let running = 0;

/** `GET /exports/credit.csv?grade=D&from=2026-01-01…` — the filtered credit archive for regulators, streamed. */
export async function registerCreditExportRoutes(fastify: FastifyInstance, _deps: WebDeps): Promise<void> {
  fastify.get('/exports/credit.csv', async (request, reply) => {
    const ctx = await regulatorOrRefuse(request, reply);
    if (!ctx) return reply;
    let csv: AsyncGenerator<string>;
    try {
      csv = creditArchiveCsv(ctx, filterFromQuery(request.query as Record<string, unknown>));
    } catch (e) {
      return sendFailure(reply, failureOf(e, request.log));
    }
    if (running >= MAX_RUNNING_EXPORTS) {
      reply.header('retry-after', '30');
      return sendFailure(reply, failure('UNAVAILABLE', `${MAX_RUNNING_EXPORTS} exports are already running; try again shortly`));
    }
    running += 1;
    // counted until the response is finished or the client went away, whichever comes first
    reply.raw.once('close', () => {
      running -= 1;
    });
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="credit-archive.csv"')
      .header('cache-control', 'no-store')
      .send(Readable.from(csv, { objectMode: false, highWaterMark: 1 }));
  });
}
