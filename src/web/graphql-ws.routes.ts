import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  GraphQLError, getOperationAST, parse, specifiedRules, validate,
  type ExecutionResult, type GraphQLFormattedError, type GraphQLSchema, type ValidationRule,
} from 'graphql';
import { CloseCode, makeServer, type Context as WsContext } from 'graphql-ws';
import type { WebSocket } from 'ws';
import { bearerToken } from '../auth/bearer';
import type { Context } from '../context';
import { AppError } from '../errors';
import { formatError } from '../format-error';
import { QUERY_LIMITS } from '../limits/query-limits';
import { attachHub, type NotificationHub } from '../notify/live';
import type { WebDeps } from './request-context';

/** Where GraphQL subscriptions are served, over the graphql-ws protocol (subprotocol `graphql-transport-ws`). */
export const GRAPHQL_WS_PATH = '/graphql/ws';
/** A connection that has not sent `connection_init` by then is closed (4408). */
export const GRAPHQL_WS_INIT_TIMEOUT_MS = 10_000;
/** Open subscriptions one connection may hold. */
export const GRAPHQL_WS_MAX_SUBSCRIPTIONS = 20;

const TOKEN = /^ft_[A-Za-z0-9_-]{43}$/;

export interface GraphqlWsOptions {
  schema: GraphQLSchema;
  /** The same limits the HTTP endpoint applies (depth, aliases, cost). */
  validationRules: ValidationRule[];
  hub: NotificationHub;
  log: { warn(obj: object, msg: string): void; error(obj: unknown, msg?: string): void };
}

/** What the protocol server keeps per connection besides its own state: the socket, its upgrade request, the signed-in context. */
interface Extra {
  socket: WebSocket;
  request: FastifyRequest;
  context?: Context;
}

const refusal = (message: string, code: string) => [new GraphQLError(message, { extensions: { code } })];

/** The token of `connection_init`'s payload (`{ token }`), else of the upgrade request's `authorization: Bearer` header. */
function tokenOf(ctx: WsContext<Record<string, unknown> | undefined, Extra>): string | null {
  const fromPayload = ctx.connectionParams?.token;
  if (typeof fromPayload === 'string') return fromPayload;
  return bearerToken(ctx.extra.request.headers.authorization);
}

/**
 * GraphQL subscriptions over a WebSocket, served by the graphql-ws library's protocol server (`makeServer`) over
 * @fastify/websocket's socket. The client signs in with `connection_init` and `{ token: "ft_…" }` as its payload (or
 * an `authorization: Bearer` header on the upgrade, for clients that can set one; tokens never travel in the URL); an
 * unknown token is refused with 4403. Only subscription operations are served here, under the same validation
 * limits as POST /graphql: queries and mutations go there, where the audit, text-input and rate-limit layers apply.
 * Errors reach the client through the one error mapping (`format-error.ts`). Registered after @fastify/websocket.
 */
export function registerGraphqlWsRoutes(fastify: FastifyInstance, deps: WebDeps, options: GraphqlWsOptions): void {
  const rules = [...specifiedRules, ...options.validationRules];
  const formatted = (errors: readonly GraphQLError[]): GraphQLFormattedError[] => errors.map((e) => formatError(e.toJSON(), e, options.log));

  const server = makeServer<Record<string, unknown> | undefined, Extra>({
    schema: options.schema,
    connectionInitWaitTimeout: GRAPHQL_WS_INIT_TIMEOUT_MS,
    async onConnect(ctx) {
      const token = tokenOf(ctx);
      try {
        const built = await deps.contextFor(token && TOKEN.test(token) ? token : 'invalid', ctx.extra.request.ip);
        if (!built.viewer.accountId) return false;
        attachHub(built, options.hub);
        ctx.extra.context = built;
        return true;
      } catch (e) {
        if (e instanceof AppError && e.extensions.code === 'UNAUTHENTICATED') return false;
        options.log.warn({ err: { message: (e as Error).message } }, 'graphql-ws: sign-in failed');
        ctx.extra.socket.close(CloseCode.InternalServerError, 'try again shortly');
        return false;
      }
    },
    onSubscribe(ctx, _id, payload) {
      // the protocol server counts this one among the connection's subscriptions already
      if (Object.keys(ctx.subscriptions).length > GRAPHQL_WS_MAX_SUBSCRIPTIONS) {
        return refusal(`at most ${GRAPHQL_WS_MAX_SUBSCRIPTIONS} subscriptions per connection`, 'BAD_USER_INPUT');
      }
      if (payload.variables != null && (typeof payload.variables !== 'object' || Array.isArray(payload.variables))) {
        return refusal('payload.variables must be an object', 'BAD_USER_INPUT');
      }
      let document;
      try {
        document = parse(payload.query, { maxTokens: QUERY_LIMITS.maxTokens });
      } catch (e) {
        return refusal((e as Error).message, 'GRAPHQL_PARSE_FAILED');
      }
      const invalid = validate(options.schema, document, rules);
      if (invalid.length) return invalid.map((e) => new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
      const operationName = payload.operationName ?? null;
      const operation = getOperationAST(document, operationName);
      if (!operation) return refusal('name the operation to run', 'BAD_USER_INPUT');
      if (operation.operation !== 'subscription') return refusal('only subscriptions are served here; send queries and mutations to POST /graphql', 'BAD_USER_INPUT');
      return { schema: options.schema, document, operationName, variableValues: payload.variables ?? null, contextValue: ctx.extra.context };
    },
    onError: (_ctx, _id, _payload, errors) => formatted(errors),
    onNext: (_ctx, _id, _payload, _args, result) => {
      const r = result as ExecutionResult;
      return r.errors ? { ...r, errors: formatted(r.errors) } : undefined;
    },
  });

  fastify.get(GRAPHQL_WS_PATH, { websocket: true }, (socket: WebSocket, request) => {
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) => new Promise<void>((resolve, reject) => {
          if (socket.readyState !== socket.OPEN) return resolve();
          socket.send(data, (err) => (err ? reject(err) : resolve()));
        }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (cb) => socket.on('message', (data) => {
          cb(String(data)).catch((e: Error) => {
            options.log.error({ err: { message: e.message } }, 'graphql-ws: message failed');
            socket.close(CloseCode.InternalServerError, 'Internal server error');
          });
        }),
      },
      { socket, request },
    );
    socket.once('close', (code, reason) => void closed(code, String(reason)));
  });
}
