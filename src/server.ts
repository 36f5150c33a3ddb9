import { randomBytes } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import type { MikroORM } from '@mikro-orm/postgresql';
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import type { Config } from './config';
import type { Context } from './context';
import { auditPlugin } from './audit/audit.plugin';
import { AuditWriter } from './audit/audit-writer';
import { AppError } from './errors';
import { formatError } from './format-error';
import { queryLimits } from './limits/query-limits';
import { registerRateLimits } from './limits/rate-limits';
import { postgresRateStore } from './limits/shared-budgets';
import { registerStrictUtf8Bodies } from './limits/text-input';
import { buildAppSchema } from './resolvers';
import { compiledExecutor, type CompiledExecutorOptions } from './resolvers/compiled-executor';
import { registerRequestContext } from './web/request-context';
import { registerReadYourWrites } from './web/read-your-writes';
import type { ReadRoute } from './db/read-route';
import { registerRoutes } from './web/routes';
import { registerTextInputCheck } from './web/text-input';
import { NotificationHub } from './notify/live';
import { registerGraphqlWsRoutes } from './web/graphql-ws.routes';
import { registerLiveNotificationRoutes } from './web/notify-live.routes';
import { dropSilentConnectionsOnClose } from './web/silent-connections';

export interface App {
  fastify: FastifyInstance;
  apollo: ApolloServer<Context>;
  schema: GraphQLSchema;
  /** Builds the context a request with this bearer token would get. */
  contextFor(token?: string | null, clientIp?: string | null): Promise<Context>;
  /** This process's live notification connections; the notification queue publishes into it. */
  notificationHub: NotificationHub;
}

export interface AppOptions {
  /** Extra Apollo plugins (query limits and the like). */
  plugins?: ApolloServerPlugin<Context>[];
  /** Where log lines go (standard output when unset). */
  logStream?: NodeJS.WritableStream;
  /** When the compiled executor compiles a document (tests compile every one at once, so every test runs compiled). */
  compiledExecutor?: CompiledExecutorOptions;
  /** Sees the name of each statement of the public lookups' pool (tests count round trips). */
  onPublicQuery?: (name: string) => void;
  /** A streaming replica for public lookups (READ_DATABASE_URL). */
  readRoute?: ReadRoute | null;
}

/** Fastify with Apollo at POST /graphql, health routes and the web pages. */
export async function createApp(orm: MikroORM, config: Config, options: AppOptions = {}): Promise<App> {
  const fastify = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : { level: config.logLevel, redact: ['req.headers.authorization'], ...(options.logStream ? { stream: options.logStream } : {}) },
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.limits.bodyLimitBytes,
    // X-Forwarded-For is honoured only from the proxies TRUST_PROXY names; by default the socket's address counts
    // (a boolean, a hop count or a list; the cast only picks one of fastify's overloads)
    trustProxy: config.trustProxy as boolean,
  });

  dropSilentConnectionsOnClose(fastify);

  // main.ts keeps the secret under the data dir; an app built without one (tests) draws with its own
  config.samplingSecret ??= randomBytes(32).toString('hex');

  // one line per request; never headers, so no token reaches a log
  fastify.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { method: request.method, url: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });

  await registerRateLimits(fastify, config.limits, {
    // the lookup is the request's own context, built once: Apollo and the routes answer from the same result
    async tokenIsValid(request) {
      try {
        await request.context();
        return true;
      } catch (e) {
        return !(e instanceof AppError && e.extensions.code === 'UNAUTHENTICATED');
      }
    },
  }, config.rateLimitStore === 'postgres' ? postgresRateStore(orm) : undefined);
  // one rule for text at the edge: bodies are strict UTF-8, GraphQL arguments and route parameters well-formed
  registerStrictUtf8Bodies(fastify);
  registerTextInputCheck(fastify);

  const schema = await buildAppSchema();
  const production = config.nodeEnv === 'production';
  const limits = queryLimits(production);
  const apollo = new ApolloServer<Context>({
    // the schema comes through the compiled executor: hot documents run as graphql-jit functions
    gateway: compiledExecutor(schema, options.compiledExecutor),
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    formatError: (formatted, error) => formatError(formatted, error, fastify.log),
    plugins: [
      // no field declares a cache hint; the default plugin would still wrap every resolved field to look for one
      ApolloServerPluginCacheControlDisabled(),
      fastifyApolloDrainPlugin(fastify), auditPlugin(fastify.log, new AuditWriter(() => ({ em: orm.em.fork() }))), ...(limits.plugins as ApolloServerPlugin<Context>[]),
      ...(options.plugins ?? []),
    ],
  });
  await apollo.start();

  const contexts = registerRequestContext(fastify, orm, config, { onPublicQuery: options.onPublicQuery, readRoute: options.readRoute ?? null });
  if (options.readRoute) registerReadYourWrites(fastify, options.readRoute);
  const contextFor = contexts.contextFor;

  fastify.route({
    url: '/graphql',
    method: ['GET', 'POST', 'OPTIONS'],
    handler: fastifyApolloHandler(apollo, {
      context: (request: FastifyRequest) => request.context(),
    }),
  });

  fastify.get('/healthz', async () => ({ status: 'ok' }));
  // at most one database round trip per interval however often the probe asks; callers share a check in flight
  let readiness: { at: number; ready: Promise<boolean> } | null = null;
  const ready = (): Promise<boolean> => {
    const now = Date.now();
    if (!readiness || now - readiness.at >= config.readyCheckIntervalMs) {
      readiness = { at: now, ready: orm.em.fork().getConnection().execute('select 1').then(() => true, () => false) };
    }
    return readiness.ready;
  };
  fastify.get('/readyz', async (_request, reply) => {
    if (await ready()) return { status: 'ready' };
    return reply.code(503).send({ status: 'unavailable', reason: 'database does not answer' });
  });

  await registerRoutes(fastify, contexts);
  const notificationHub = new NotificationHub();
  await registerLiveNotificationRoutes(fastify, contexts, notificationHub);
  registerGraphqlWsRoutes(fastify, contexts, { schema, validationRules: limits.validationRules, hub: notificationHub, log: fastify.log });

  return { fastify, apollo, schema, contextFor, notificationHub };
}
