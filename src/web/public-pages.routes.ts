import type { FastifyInstance } from 'fastify';
import { publicOperatorCard } from '../credit/operator-card';
import { marketTestBoard } from '../gate/board.service';
import { printableCertificate } from '../registry/certificate.service';
import { renderQr } from '../trace/qr';
import { publicTrace } from '../trace/trace.service';
import { deliveryNote } from '../trace/handover.service';
import { renderDeliveryNoteNotFound, renderDeliveryNotePage, renderDeliveryNoteSignIn } from './handover.page';
import { renderCertificateNotFound, renderCertificatePage } from './certificate.page';
import { renderBoardBadDate, renderBoardNotFound, renderBoardPage } from './board.page';
import { failureOf } from './http-errors';
import { renderOperatorNotFound, renderOperatorPage } from './operator.page';
import { langOf, pagePath, sendPage, sendPageFailure } from './page-reply';
import { renderTraceNotFound, renderTracePage } from './trace.page';

/** The pages printed QR codes lead to: consumer trace page, operator card, market test board. */
export async function registerPublicPageRoutes(fastify: FastifyInstance): Promise<void> {
  fastify.get<{ Params: { code: string } }>('/t/:code', async (request, reply) => {
    const lang = langOf(request);
    try {
      const ctx = request.publicContext();
      const trace = await publicTrace(ctx, request.params.code);
      if (!trace) return sendPage(reply, 404, lang, renderTraceNotFound(lang, pagePath(request)));
      return sendPage(reply, 200, lang, renderTracePage(trace, lang, ctx.config.timeZone));
    } catch (error) {
      return sendPageFailure(request, reply, lang, error, 'trace page');
    }
  });

  // the commitment-to-standard certificate as printed on the goods, with the QR of its lot's trace page
  fastify.get<{ Params: { number: string } }>('/c/:number', async (request, reply) => {
    const lang = langOf(request);
    try {
      const ctx = request.publicContext();
      const certificate = await printableCertificate(ctx, request.params.number);
      if (!certificate) return sendPage(reply, 404, lang, renderCertificateNotFound(lang, pagePath(request)));
      const traceUrl = `${ctx.config.publicUrl}/t/${certificate.batchPublicCode}`;
      const qr = String(await renderQr(traceUrl, 'svg', 256));
      return sendPage(reply, 200, lang, renderCertificatePage(certificate, qr, traceUrl, lang, ctx.config.timeZone, pagePath(request)));
    } catch (error) {
      return sendPageFailure(request, reply, lang, error, 'certificate page');
    }
  });

  // the delivery note of the hand-over that made a lot: public as the trace shows it; the document number to its parties
  fastify.get<{ Params: { code: string } }>('/handover/:code', async (request, reply) => {
    const lang = langOf(request);
    try {
      const ctx = request.headers.authorization ? await request.context() : request.publicContext();
      const note = await deliveryNote(ctx, request.params.code);
      if (!note) return sendPage(reply, 404, lang, renderDeliveryNoteNotFound(lang, pagePath(request)));
      const traceUrl = `${ctx.config.publicUrl}/t/${note.receivedPublicCode}`;
      const qr = String(await renderQr(traceUrl, 'svg', 256));
      // what the page shows depends on who asks: no shared cache may keep one reader's copy for another
      reply.header('vary', 'Accept-Language, Authorization');
      return sendPage(reply, 200, lang, renderDeliveryNotePage(note, qr, traceUrl, lang, ctx.config.timeZone, pagePath(request)));
    } catch (error) {
      // a token the server does not accept is the reader's problem, not the server's: 401 with a short page
      if (failureOf(error).status === 401) return sendPage(reply, 401, lang, renderDeliveryNoteSignIn(lang, pagePath(request)));
      return sendPageFailure(request, reply, lang, error, 'delivery note page');
    }
  });

  fastify.get<{ Params: { code: string } }>('/o/:code', async (request, reply) => {
    const lang = langOf(request);
    try {
      const ctx = request.publicContext();
      const card = await publicOperatorCard(ctx, request.params.code);
      if (!card) return sendPage(reply, 404, lang, renderOperatorNotFound(lang, pagePath(request)));
      return sendPage(reply, 200, lang, renderOperatorPage(card, lang, ctx.config.timeZone));
    } catch (error) {
      return sendPageFailure(request, reply, lang, error, 'operator page');
    }
  });

  fastify.get<{ Params: { marketId: string }; Querystring: { date?: string } }>('/m/:marketId/board', async (request, reply) => {
    const lang = langOf(request);
    const path = pagePath(request);
    if (!/^[1-9]\d{0,8}$/.test(request.params.marketId)) return sendPage(reply, 404, lang, renderBoardNotFound(lang, path));
    const dateGiven = typeof request.query.date === 'string' && request.query.date !== '';
    try {
      // the board service opens its own read-only lookup and picks today in the county's time zone when no date is given
      const ctx = request.publicContext();
      const board = await marketTestBoard(ctx, request.params.marketId, dateGiven ? request.query.date! : null);
      return sendPage(reply, 200, lang, renderBoardPage(board, lang, path, dateGiven, ctx.config.timeZone));
    } catch (error) {
      const { status } = failureOf(error);
      if (status === 404) return sendPage(reply, 404, lang, renderBoardNotFound(lang, path));
      if (status === 400) return sendPage(reply, 400, lang, renderBoardBadDate(lang, path));
      return sendPageFailure(request, reply, lang, error, 'board page');
    }
  });
}
