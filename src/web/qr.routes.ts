import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findByDigitalLink, normaliseGtin, qrEtag, qrSize, renderQr, resolvePublicCode, type QrFormat } from '../trace/qr';
import { failure, failureOf, sendFlatFailure } from './http-errors';
import type { WebDeps } from './request-context';

const CONTENT_TYPE: Record<QrFormat, string> = { png: 'image/png', svg: 'image/svg+xml; charset=utf-8' };

/** QR images of public codes (batches and registration cards) and the GS1 Digital Link resolver. */
export async function registerQrRoutes(fastify: FastifyInstance, deps: WebDeps): Promise<void> {
  fastify.get('/qr/:file', async (request: FastifyRequest<{ Params: { file: string }; Querystring: { size?: string } }>, reply) => {
    const m = /^(.+)\.(png|svg)$/.exec(request.params.file);
    if (!m) return sendFlatFailure(reply, failure('NOT_FOUND', 'Ask for /qr/<code>.png or /qr/<code>.svg'));
    const [, code, format] = m as unknown as [string, string, QrFormat];
    const size = qrSize(request.query.size);
    if (size === null) return sendFlatFailure(reply, failure('BAD_REQUEST', 'size must be a whole number of pixels'));
    try {
      const target = await resolvePublicCode(request.publicContext(), deps.config.publicUrl, code);
      if (!target) return sendFlatFailure(reply, failure('NOT_FOUND', 'No batch or registration card has this code'));
      const etag = qrEtag(target.url, format, size);
      // the text behind a code never changes, so clients may keep the image a day and revalidate cheaply
      reply.header('etag', etag).header('cache-control', 'public, max-age=86400');
      if (request.headers['if-none-match']?.split(/\s*,\s*/).includes(etag)) return reply.code(304).send();
      return reply.type(CONTENT_TYPE[format]).send(await renderQr(target.url, format, size));
    } catch (e) {
      return sendFlatFailure(reply, failureOf(e, request.log));
    }
  });

  // GS1 Digital Link: /01/{gtin}/10/{lot} answers as GS1 resolvers do, with a 303 to the trace page
  fastify.get('/01/:gtin/10/:lot', async (request: FastifyRequest<{ Params: { gtin: string; lot: string } }>, reply) => {
    const gtin = normaliseGtin(request.params.gtin);
    if (!gtin) return sendFlatFailure(reply, failure('BAD_REQUEST', 'GTIN must be 8, 12, 13 or 14 digits with a valid GS1 check digit'));
    try {
      const code = await findByDigitalLink(request.publicContext(), gtin, request.params.lot);
      if (!code) return sendFlatFailure(reply, failure('NOT_FOUND', 'No batch has this GTIN and lot'));
      return reply.code(303).header('location', `/t/${code}`).header('cache-control', 'no-store').send();
    } catch (e) {
      return sendFlatFailure(reply, failureOf(e, request.log));
    }
  });
}
