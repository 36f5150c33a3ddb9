import type { FastifyReply, FastifyRequest } from 'fastify';
import { loggableError } from '../log-safe';
import { renderServerError } from './error.page';
import { html, layout, PAGE_SECURITY_HEADERS } from './html';
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
    // a route whose page depends on more than the language (the reader's token) has set its own vary
    .header('vary', (reply.getHeader('vary') as string | undefined) ?? 'Accept-Language')
    // recall status must never be served stale from a cache
    .header('cache-control', 'no-cache')
    .send(markup);
}

/** A page that could not be built: logged, and answered with the friendly error page and no internal detail. */
export function sendPageFailure(request: FastifyRequest, reply: FastifyReply, lang: Lang, error: unknown, what: string): FastifyReply {
  request.log.error({ err: loggableError(error) }, `${what} failed`);
  return sendPage(reply, pageFailureStatus(error), lang, renderServerError(lang));
}

const BAD_REQUEST = {
  zh: { title: '无法读取此地址', body: '地址中含有无法识别的字符，请检查后重试。' },
  en: { title: 'This address cannot be read', body: 'The address contains characters that cannot be read. Please check it and try again.' },
};

/** A page asked for with an address that breaks the text rule: 400 and a short page, no internal detail. */
export function sendBadRequestPage(reply: FastifyReply, lang: Lang): FastifyReply {
  const t = BAD_REQUEST[lang];
  return sendPage(reply, 400, lang, layout({ lang, title: t.title, body: html`<main class="notfound"><h1>${t.title}</h1><p>${t.body}</p></main>` }));
}
