import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { viewerForToken } from '../auth/account.service';
import { bearerToken } from '../auth/bearer';
import { ViewerCache } from '../auth/viewer-cache';
import { ANONYMOUS, type Viewer } from '../auth/viewer.model';
import type { Config } from '../config';
import { buildContext, type Context } from '../context';
import { PublicReads } from '../db/public-reads';
import type { ReadRoute } from '../db/read-route';
import { AppError, unauthenticated } from '../errors';
import { formatError } from '../format-error';
import { readRequestOf } from './read-your-writes';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The request's context — the viewer behind its bearer token, its own EntityManager and loaders — built once
     * on first use. An unknown or revoked token is UNAUTHENTICATED (HTTP 401).
     */
    context(): Promise<Context>;
    /** The context of a public lookup: anonymous whatever token came along, so printed links never depend on one. */
    publicContext(): Context;
  }
}

/** What the routes and the GraphQL handler share: the ORM, the configuration, and how a token becomes a context. */
export interface WebDeps {
  orm: MikroORM;
  config: Config;
  /** The context a request with this bearer token would get. */
  contextFor(token?: string | null, clientIp?: string | null): Promise<Context>;
}

/** One hook for every route: GraphQL and HTTP handlers get their context from the request the same way. */
export function registerRequestContext(
  fastify: FastifyInstance, orm: MikroORM, config: Config, options: { onPublicQuery?: (name: string) => void; readRoute?: ReadRoute | null } = {},
): WebDeps {
  const readRoute = options.readRoute ?? null;
  const timeout = config.limits.publicStatementTimeoutMs;
  const reads = new PublicReads(orm.config.get('clientUrl')!, timeout, options.onPublicQuery);
  const replicaReads = readRoute ? new PublicReads(readRoute.settings.url, timeout, options.onPublicQuery) : null;
  fastify.addHook('onClose', () => Promise.all([reads.end(), replicaReads?.end()]).then(() => undefined));
  const viewers = new ViewerCache(config.limits.viewerCacheMs);
  // public lookups of this request read the replica while it keeps up with the primary and with the client's writes
  const withReads = (ctx: Context, request: import('fastify').FastifyRequest): Context => {
    // decided once per request, so the ORM's reads and the prepared statements of one lookup never disagree
    if (!readRoute || readRoute.readTarget(readRequestOf(request)) !== 'replica') return ctx;
    ctx.publicEm = () => readRoute.replicaEm();
    if (replicaReads) ctx.reads = replicaReads;
    return ctx;
  };
  const viewerFor = async (token: string | null | undefined): Promise<Viewer> => {
    if (!token) return ANONYMOUS;
    const viewer = await viewerForToken({ em: orm.em.fork() }, token, viewers);
    if (!viewer) {
      const error = unauthenticated('The bearer token is unknown or revoked');
      error.extensions.http = { status: 401 };
      throw error;
    }
    return viewer;
  };

  const contextFor = async (token?: string | null, clientIp: string | null = null): Promise<Context> => {
    try {
      return buildContext(orm, config, await viewerFor(token), clientIp, reads);
    } catch (e) {
      // Apollo wraps a plain error thrown here and hides its cause; keep the typed answer
      if (formatError({ message: '' }, e).extensions?.code === 'UNAVAILABLE') throw new AppError('UNAVAILABLE', 'The database is unavailable; try again shortly');
      throw e;
    }
  };

  const built = new WeakMap<object, Promise<Context>>();
  fastify.decorateRequest('context', function (this: import('fastify').FastifyRequest) {
    let ctx = built.get(this);
    if (!ctx) {
      ctx = contextFor(bearerToken(this.headers.authorization), this.ip).then((c) => withReads(c, this));
      built.set(this, ctx);
    }
    return ctx;
  });
  fastify.decorateRequest('publicContext', function (this: import('fastify').FastifyRequest) {
    return withReads(buildContext(orm, config, ANONYMOUS, this.ip, reads), this);
  });

  return { orm, config, contextFor };
}
