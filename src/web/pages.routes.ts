import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { withPublicLookup } from '../context';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors';
import { marketTestBoard } from '../gate/board.service';
import { traceByCode } from '../trace/trace.service';
import { renderBoardBadDate, renderBoardNotFound, renderBoardPage } from './board.page';
import { renderGatePage } from './gate.page';
import { renderRegulatorPage } from './regulator.page';
import { PAGE_SECURITY_HEADERS } from './html';
import { pickLang, type Lang } from './i18n';
import { operatorCardByCode } from './operator-card';
import { renderOperatorNotFound, renderOperatorPage } from './operator.page';
import { renderServerError } from './error.page';
import type { WebDeps } from './request-context';
import { renderTraceNotFound, renderTracePage } from './trace.page';
import { loggableError } from '../log-safe';

interface Asset {
  body: Buffer;
  /** Compressed once at start; the jsQR decoder shrinks from about 250 kB to a quarter. */
  gzip: Buffer;
  type: string;
  etag: string;
}

/** Assets sit next to the sources; a compiled build under dist/ reads them from src/. */
function assetDir(): string {
  const here = path.join(__dirname, 'assets');
  return existsSync(here) ? here : path.resolve(__dirname, '../../../src/web/assets');
}

function asset(file: string, type: string): Asset {
  const body = readFileSync(file);
  return { body, gzip: gzipSync(body, { level: 9 }), type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

/** A cancelled statement (PostgreSQL 57014) or an unreachable database is temporary: 503; anything else 500. */
function failureStatus(error: unknown): number {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '57014' || code === 'ECONNREFUSED' ? 503 : 500;
}

function langOf(request: FastifyRequest): Lang {
  return pickLang((request.query as Record<string, unknown> | undefined)?.lang, request.headers['accept-language']);
}

function sendPage(reply: FastifyReply, status: number, lang: Lang, markup: string): FastifyReply {
  return reply
    .code(status)
    .headers(PAGE_SECURITY_HEADERS)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-language', lang === 'zh' ? 'zh-CN' : 'en')
    .header('vary', 'Accept-Language')
    // recall status must never be served stale from a cache
    .header('cache-control', 'no-cache')
    .send(markup);
}

/** The pages people use: consumer trace page, operator card, gate scanner, market test board, regulator desk. */
export async function registerPageRoutes(fastify: FastifyInstance, deps: WebDeps): Promise<void> {
  const dir = assetDir();
  const assets: Record<string, Asset> = {
    'site.css': asset(path.join(dir, 'site.css'), 'text/css; charset=utf-8'),
    'gate.js': asset(path.join(dir, 'gate.js'), 'text/javascript; charset=utf-8'),
    'gate-sw.js': asset(path.join(dir, 'gate-sw.js'), 'text/javascript; charset=utf-8'),
    'regulator.js': asset(path.join(dir, 'regulator.js'), 'text/javascript; charset=utf-8'),
    // the camera fallback where the browser has no BarcodeDetector; served by us, never from a CDN
    'jsQR.js': asset(require.resolve('jsqr/dist/jsQR.js'), 'text/javascript; charset=utf-8'),
  };

  fastify.get<{ Params: { name: string } }>('/static/:name', async (request, reply) => {
    const a = Object.prototype.hasOwnProperty.call(assets, request.params.name) ? assets[request.params.name] : undefined;
    if (!a) return reply.code(404).type('text/plain; charset=utf-8').send('not found');
    reply.header('etag', a.etag).header('cache-control', 'public, max-age=300').header('x-content-type-options', 'nosniff');
    // the gate's service worker lives with the other assets but looks after the /gate page
    if (request.params.name === 'gate-sw.js') reply.header('service-worker-allowed', '/gate').header('cache-control', 'no-cache');
    reply.header('vary', 'Accept-Encoding');
    if (request.headers['if-none-match'] === a.etag) return reply.code(304).send();
    if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.type(a.type).header('content-encoding', 'gzip').send(a.gzip);
    return reply.type(a.type).send(a.body);
  });

  fastify.get<{ Params: { code: string } }>('/t/:code', async (request, reply) => {
    const lang = langOf(request);
    try {
      const trace = await withPublicLookup(request.publicContext(), (tx) => traceByCode(tx, request.params.code));
      if (!trace) return sendPage(reply, 404, lang, renderTraceNotFound(lang, request.url.split('?')[0]));
      return sendPage(reply, 200, lang, renderTracePage(trace, lang));
    } catch (error) {
      request.log.error({ err: loggableError(error) }, 'trace page failed');
      return sendPage(reply, failureStatus(error), lang, renderServerError(lang));
    }
  });

  fastify.get<{ Params: { code: string } }>('/o/:code', async (request, reply) => {
    const lang = langOf(request);
    try {
      const card = await withPublicLookup(request.publicContext(), (tx) => operatorCardByCode(tx.em, request.params.code));
      if (!card) return sendPage(reply, 404, lang, renderOperatorNotFound(lang, request.url.split('?')[0]));
      return sendPage(reply, 200, lang, renderOperatorPage(card, lang));
    } catch (error) {
      request.log.error({ err: loggableError(error) }, 'operator page failed');
      return sendPage(reply, failureStatus(error), lang, renderServerError(lang));
    }
  });

  fastify.get<{ Params: { marketId: string }; Querystring: { date?: string } }>('/m/:marketId/board', async (request, reply) => {
    const lang = langOf(request);
    const pagePath = request.url.split('?')[0];
    if (!/^[1-9]\d{0,8}$/.test(request.params.marketId)) return sendPage(reply, 404, lang, renderBoardNotFound(lang, pagePath));
    const dateGiven = typeof request.query.date === 'string' && request.query.date !== '';
    try {
      const board = await marketTestBoard(request.publicContext(), request.params.marketId, dateGiven ? request.query.date : null);
      return sendPage(reply, 200, lang, renderBoardPage(board, lang, pagePath, dateGiven));
    } catch (error) {
      const code = error instanceof AppError ? error.extensions.code : null;
      if (code === 'NOT_FOUND') return sendPage(reply, 404, lang, renderBoardNotFound(lang, pagePath));
      if (code === 'BAD_USER_INPUT') return sendPage(reply, 400, lang, renderBoardBadDate(lang, pagePath));
      request.log.error({ err: loggableError(error) }, 'board page failed');
      return sendPage(reply, failureStatus(error), lang, renderServerError(lang));
    }
  });

  fastify.get('/gate', async (request, reply) => {
    const lang = langOf(request);
    return sendPage(reply, 200, lang, renderGatePage(lang));
  });

  // the regulator's desk: a shell whose data comes from GraphQL under the signed-in token
  fastify.get('/regulator', async (request, reply) => {
    const lang = langOf(request);
    return sendPage(reply, 200, lang, renderRegulatorPage(lang));
  });
}
