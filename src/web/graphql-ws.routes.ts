import type { FastifyInstance } from 'fastify';
import {
  GraphQLError, Kind, getOperationAST, parse, specifiedRules, subscribe, validate,
  type DocumentNode, type ExecutionResult, type GraphQLFormattedError, type GraphQLSchema, type ValidationRule,
} from 'graphql';
import type { WebSocket } from 'ws';
import type { Context } from '../context';
import { AppError } from '../errors';
import { formatError } from '../format-error';
import { QUERY_LIMITS } from '../limits/query-limits';
import { attachHub, type NotificationHub } from '../notify/live';
import type { WebDeps } from './request-context';

/** Where GraphQL subscriptions are served, over the graphql-ws protocol (subprotocol `graphql-transport-ws`). */
export const GRAPHQL_WS_PATH = '/graphql/ws';
export const GRAPHQL_WS_PROTOCOL = 'graphql-transport-ws';
/** A connection that has not sent `connection_init` by then is closed (4408). */
export const GRAPHQL_WS_INIT_TIMEOUT_MS = 10_000;
/** Open subscriptions one connection may hold. */
export const GRAPHQL_WS_MAX_SUBSCRIPTIONS = 20;

const TOKEN = /^ft_[A-Za-z0-9_-]{43}$/;
const ID = /^[\x21-\x7e]{1,64}$/;

/** The protocol's close codes. */
const CLOSE = {
  badMessage: 4400,
  unauthorized: 4401,
  forbidden: 4403,
  badProtocol: 4406,
  initTimeout: 4408,
  duplicateId: 4409,
  tooManyInits: 4429,
} as const;

export interface GraphqlWsOptions {
  schema: GraphQLSchema;
  /** The same limits the HTTP endpoint applies (depth, aliases, cost). */
  validationRules: ValidationRule[];
  hub: NotificationHub;
  log: { warn(obj: object, msg: string): void; error(obj: unknown, msg?: string): void };
}

interface Message {
  type?: unknown;
  id?: unknown;
  payload?: unknown;
}

/**
 * GraphQL subscriptions over a WebSocket, speaking the graphql-ws protocol (`graphql-transport-ws`): the client sends
 * `connection_init` with `{ token: "ft_…" }` as its payload (tokens never travel in the URL), the server answers
 * `connection_ack`; then `subscribe` / `next` / `error` / `complete` per operation id, and `ping` / `pong`.
 * Only subscription operations are served here: queries and mutations go through POST /graphql, where the audit,
 * text-input and rate-limit layers apply. Registered after @fastify/websocket.
 */
export function registerGraphqlWsRoutes(fastify: FastifyInstance, deps: WebDeps, options: GraphqlWsOptions): void {
  const rules = [...specifiedRules, ...options.validationRules];
  fastify.get(GRAPHQL_WS_PATH, { websocket: true }, (socket: WebSocket, request) => {
    const send = (message: Record<string, unknown>) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    const close = (code: number, reason: string) => {
      if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(code, reason);
    };
    if (socket.protocol !== GRAPHQL_WS_PROTOCOL) return close(CLOSE.badProtocol, 'Subprotocol not acceptable');

    let ctx: Context | null = null;
    let initialising = false;
    const running = new Map<string, AsyncIterator<ExecutionResult> | null>();
    const timer = setTimeout(() => close(CLOSE.initTimeout, 'Connection initialisation timeout'), GRAPHQL_WS_INIT_TIMEOUT_MS);
    timer.unref();
    socket.on('close', () => {
      clearTimeout(timer);
      for (const it of running.values()) void it?.return?.();
      running.clear();
    });

    const errorsOf = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
      errors.map((e) => formatError(e.toJSON(), e, options.log));

    const init = async (payload: unknown) => {
      initialising = true;
      clearTimeout(timer);
      const token = payload && typeof payload === 'object' ? (payload as { token?: unknown }).token : undefined;
      try {
        const built = await deps.contextFor(typeof token === 'string' && TOKEN.test(token) ? token : 'invalid', request.ip);
        if (!built.viewer.accountId) return close(CLOSE.forbidden, 'Forbidden');
        attachHub(built, options.hub);
        ctx = built;
        send({ type: 'connection_ack' });
      } catch (e) {
        if (e instanceof AppError && e.extensions.code === 'UNAUTHENTICATED') return close(CLOSE.forbidden, 'Forbidden');
        options.log.warn({ err: { message: (e as Error).message } }, 'graphql-ws: sign-in failed');
        close(1011, 'try again shortly');
      }
    };

    const start = async (id: string, payload: Message['payload']) => {
      const p = (payload ?? {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
      const fail = (errors: GraphQLFormattedError[]) => {
        if (running.delete(id)) send({ type: 'error', id, payload: errors });
      };
      if (typeof p.query !== 'string') return fail([{ message: 'payload.query must be a string', extensions: { code: 'BAD_USER_INPUT' } }]);
      const variables = p.variables ?? null;
      if (variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) {
        return fail([{ message: 'payload.variables must be an object', extensions: { code: 'BAD_USER_INPUT' } }]);
      }
      const operationName = typeof p.operationName === 'string' ? p.operationName : null;
      let document: DocumentNode;
      try {
        document = parse(p.query, { maxTokens: QUERY_LIMITS.maxTokens });
      } catch (e) {
        return fail([{ message: (e as Error).message, extensions: { code: 'GRAPHQL_PARSE_FAILED' } }]);
      }
      const invalid = validate(options.schema, document, rules);
      if (invalid.length) return fail(invalid.map((e) => ({ message: e.message, locations: e.locations, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })));
      const operation = getOperationAST(document, operationName);
      if (!operation) return fail([{ message: 'name the operation to run', extensions: { code: 'BAD_USER_INPUT' } }]);
      if (operation.operation !== 'subscription' || operation.kind !== Kind.OPERATION_DEFINITION) {
        return fail([{ message: 'only subscriptions are served here; send queries and mutations to POST /graphql', extensions: { code: 'BAD_USER_INPUT' } }]);
      }
      const result = await subscribe({
        schema: options.schema, document, operationName, contextValue: ctx, variableValues: variables as Record<string, unknown> | null,
      });
      if (!(Symbol.asyncIterator in result)) return fail(errorsOf(result.errors ?? []));
      const iterator = result[Symbol.asyncIterator]();
      // completed by the client while the source was being set up
      if (!running.has(id)) return void iterator.return?.();
      running.set(id, iterator);
      for (;;) {
        const step = await iterator.next();
        if (step.done || !running.has(id)) break;
        const value = step.value;
        send({ type: 'next', id, payload: value.errors ? { ...value, errors: errorsOf(value.errors) } : value });
      }
      if (running.delete(id)) send({ type: 'complete', id });
    };

    socket.on('message', (data) => {
      let message: Message;
      try {
        message = JSON.parse(String(data));
      } catch {
        return close(CLOSE.badMessage, 'Invalid message received');
      }
      if (!message || typeof message !== 'object') return close(CLOSE.badMessage, 'Invalid message received');
      switch (message.type) {
        case 'connection_init':
          if (initialising) return close(CLOSE.tooManyInits, 'Too many initialisation requests');
          return void init(message.payload);
        case 'ping':
          return send({ type: 'pong' });
        case 'pong':
          return;
        case 'subscribe': {
          if (!ctx) return close(CLOSE.unauthorized, 'Unauthorized');
          if (typeof message.id !== 'string' || !ID.test(message.id) || !message.payload || typeof message.payload !== 'object') {
            return close(CLOSE.badMessage, 'Invalid message received');
          }
          const id = message.id;
          if (running.has(id)) return close(CLOSE.duplicateId, `Subscriber for ${id} already exists`);
          if (running.size >= GRAPHQL_WS_MAX_SUBSCRIPTIONS) {
            return send({ type: 'error', id, payload: [{ message: `at most ${GRAPHQL_WS_MAX_SUBSCRIPTIONS} subscriptions per connection`, extensions: { code: 'BAD_USER_INPUT' } }] });
          }
          running.set(id, null);
          return void start(id, message.payload).catch((e: Error) => {
            options.log.error({ err: { message: e.message } }, 'graphql-ws: subscription failed');
            if (running.delete(id)) send({ type: 'error', id, payload: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
          });
        }
        case 'complete': {
          if (typeof message.id !== 'string') return close(CLOSE.badMessage, 'Invalid message received');
          const it = running.get(message.id);
          running.delete(message.id);
          return void it?.return?.();
        }
        default:
          return close(CLOSE.badMessage, 'Invalid message received');
      }
    });
  });
}
