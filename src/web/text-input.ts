import type { FastifyInstance, FastifyRequest } from 'fastify';
import { wellFormedText } from '../validation';
import { failureOf, sendFailure, sendFlatFailure } from './http-errors';
import { langOf, sendBadRequestPage } from './page-reply';

/** How a route answers a refused input today: GS1 resolvers and QR images flat, pages with a page, the rest nested. */
const FLAT_ROUTES = new Set(['/qr/:file', '/01/:gtin/10/:lot']);
const PAGE_ROUTES = new Set(['/t/:code', '/o/:code', '/m/:marketId/board', '/gate', '/inspect', '/regulator']);

/** Checks one parameter map in place; the first bad value's key is returned with the typed error. */
function checkAll(values: unknown, where: 'params' | 'query'): void {
  if (!values || typeof values !== 'object') return;
  const record = values as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    // a key is text the client chose too; one that breaks the rule is named by where it sits
    wellFormedText(where, key);
    const value = record[key];
    if (typeof value === 'string') record[key] = wellFormedText(key, value);
    else if (Array.isArray(value)) record[key] = value.map((item) => (typeof item === 'string' ? wellFormedText(key, item) : item));
  }
}

/**
 * The text rule of GraphQL arguments, for every other route: path parameters (after percent-decoding) and query
 * values are well-formed Unicode without control characters and reach the handler in NFC; otherwise 400 in the body
 * shape the route answers its other failures with, naming the parameter, before any handler or database work.
 */
export function registerTextInputCheck(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', async (request: FastifyRequest, reply) => {
    const route = request.routeOptions.url;
    if (route === undefined || route === '/graphql') return;
    try {
      checkAll(request.params, 'params');
      checkAll(request.query, 'query');
    } catch (e) {
      const f = failureOf(e, request.log);
      if (FLAT_ROUTES.has(route)) return sendFlatFailure(reply, f);
      if (PAGE_ROUTES.has(route)) return sendBadRequestPage(reply, langOf(request));
      return sendFailure(reply, f);
    }
  });
}
