import type { FastifyInstance } from 'fastify';
import { inclusionProof, ledgerExport, ledgerPublicKey, publishedCheckpoint } from '../credit/checkpoint.service';
import { badInput } from '../errors';
import * as v from '../validation';
import { failureOf, sendFailure } from './http-errors';
import { regulatorOrRefuse, singleValues } from './regulator-api';
import type { WebDeps } from './request-context';

/**
 * The credit ledger for third parties (docs/LEDGER.md): signed checkpoints, the key that signs them and inclusion
 * proofs are public; the whole archive as stored is for regulators.
 */
export async function registerLedgerRoutes(fastify: FastifyInstance, _deps: WebDeps): Promise<void> {
  const checkpointId = (raw: string | undefined) => {
    if (raw === undefined) return null;
    if (!/^\d{1,9}$/.test(raw)) throw badInput('checkpoint', 'must be a checkpoint id');
    return v.id('checkpoint', raw);
  };

  fastify.get('/ledger/public-key', async (request, reply) => {
    try {
      const key = ledgerPublicKey(await request.publicContext());
      return reply.header('content-type', 'application/x-pem-file').header('x-key-id', key.keyId).send(key.pem);
    } catch (e) {
      return sendFailure(reply, failureOf(e, request.log));
    }
  });

  fastify.get('/ledger/checkpoints/:id', async (request, reply) => {
    try {
      const { id } = request.params as { id: string };
      singleValues(request.query as Record<string, unknown>, [], 'parameter');
      const ctx = await request.publicContext();
      const c = await publishedCheckpoint(ctx, id === 'latest' ? null : checkpointId(id));
      return reply.header('cache-control', id === 'latest' ? 'no-cache' : 'public, max-age=31536000, immutable').send(c);
    } catch (e) {
      return sendFailure(reply, failureOf(e, request.log));
    }
  });

  fastify.get('/ledger/proof/:operatorId', async (request, reply) => {
    try {
      const { operatorId } = request.params as { operatorId: string };
      const q = singleValues(request.query as Record<string, unknown>, ['checkpoint'], 'parameter');
      const ctx = await request.publicContext();
      return reply.header('cache-control', 'no-cache').send(await inclusionProof(ctx, v.id('operatorId', operatorId), checkpointId(q.checkpoint)));
    } catch (e) {
      return sendFailure(reply, failureOf(e, request.log));
    }
  });

  fastify.get('/ledger/export', async (request, reply) => {
    const ctx = await regulatorOrRefuse(request, reply);
    if (!ctx) return reply;
    try {
      const lines = await ledgerExport(ctx);
      return reply
        .header('content-type', 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', 'attachment; filename="credit-ledger.jsonl"')
        .header('cache-control', 'no-store')
        .send(lines.join('\n') + '\n');
    } catch (e) {
      return sendFailure(reply, failureOf(e, request.log));
    }
  });
}
