import type { FastifyReply, FastifyRequest } from 'fastify';
import { loggableError } from '../log-safe';
import { renderServerError } from './error.page';
import { PAGE_SECURITY_HEADERS } from './html';
import { pickLang, type Lang } from './i18n';
import { pageFailureStatus } from './http-errors';

/** The page language the request asks for (`?lang=`, then Accept-Language). */
export function langOf(request: FastifyRequest): Lang {
  return pickLang((request.query as Record<string, unknown> | undefined)?.lang, request.headers['accept-language']);
}

/** The page's path without its query, for the language switch and not-found pages. */
export function pagePath(request: FastifyRequest): string {
  return request.url.split('?')[0];
}

/** Sends a page with the headers every page carries. */
export function sendPage(reply: FastifyReply, status: number, lang: Lang, markup: string): FastifyReply {
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

/** A page that could not be built: logged, and answered with the friendly error page and no internal detail. */
export function sendPageFailure(request: FastifyRequest, reply: FastifyReply, lang: Lang, error: unknown, what: string): FastifyReply {
  request.log.error({ err: loggableError(error) }, `${what} failed`);
  return sendPage(reply, pageFailureStatus(error), lang, renderServerError(lang));
}
