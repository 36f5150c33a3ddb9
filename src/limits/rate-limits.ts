import { createHash } from 'node:crypto';
import rateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Kind, parse, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { bearerToken } from '../auth/bearer';
import type { Limits } from '../config';
import { REGULATOR_TRACE_LIMITS } from '../trace/trace.service';
import { QUERY_LIMITS } from './query-limits';

/** Which budget a request draws from. */
export type RateBucket = 'public' | 'gate' | 'write' | 'auth' | 'heavy' | 'report';

export interface RateLimitHooks {
  /**
   * Whether the request's bearer token names a live account: false for an unknown, revoked or expired token. Any
   * other failure (the database is away) resolves true, so the handler answers it as it would without a limit.
   */
  tokenIsValid(request: FastifyRequest): Promise<boolean>;
}

export interface RateCharge {
  bucket: RateBucket;
  key: string;
  /** Root fields count one each, so aliasing many calls into one request buys nothing. */
  cost: number;
}

/** Paths of the public pages and images that printed QR codes lead to (trace, operator card, certificate, delivery note, board), and the ledger's public checkpoints and proofs. */
export const PUBLIC_PATH = /^\/(t|o|qr|01|m)\/|^\/ledger\/(public-key$|checkpoints\/|proof\/)|^\/banquet(\/|$)/;

/** The public complaint form: reading it draws from the public budget, sending it from its own smaller one. */
export const REPORT_PATH = /^\/report\/?$/;

/** Exports, EPCIS capture, registry imports, the work ledger and the self-assessment for regulators: each holds a connection and walks or writes much of the database. */
export const EXPORT_PATH = /^\/(exports|epcis|imports|assessment)\/|^\/ledger\/(export$|work\/)/;

/** A capture job's status: one row read by id, polled until the job has run; it draws from the lookup budget, not the exports'. */
export const CAPTURE_JOB_PATH = /^\/epcis\/capture\/[^/]+$/;

/** The regulator desk's charts and forward-impact graph: each aggregates or walks much of the database, like an export. */
export const DESK_PATH = /^\/regulator\/(charts$|forward-graph\/)/;

const MAX_CLASSIFY_TOKENS = 2000;

/** Lookups by public code: counted per client address even when the caller is signed in. */
const PUBLIC_LOOKUPS = new Set(['trace', 'epcisDocument', 'operatorCard']);

/** Writes anyone may make without signing in (the banquet filing): each also draws from the public budget of the address. */
const PUBLIC_WRITES = new Set(['fileBanquet']);

/** Regulator operations that walk or lock much of the database: each also draws from the heavy budget. */
const HEAVY_OPERATIONS = new Set(['epcisLineage', 'verifyCreditArchive', 'initiateRecall']);

/** Traces are heavy when asked for more than the default bounds (the regulator page's own traces stay within them). */
const BOUNDED_TRACES: Record<string, { maxDepth: number; maxNodes: number }> = {
  traceForward: { maxDepth: REGULATOR_TRACE_LIMITS.defaultDepth, maxNodes: REGULATOR_TRACE_LIMITS.defaultNodes },
  traceBackward: { maxDepth: REGULATOR_TRACE_LIMITS.defaultDepth, maxNodes: REGULATOR_TRACE_LIMITS.defaultNodes },
};

/**
 * Rate limits per client address for public lookups and failed sign-ins, per bearer token for gate scans, writes,
 * exports and heavy operations. An exceeded budget answers 429 with Retry-After before any resolver or database work,
 * except a sign-in: a token's validity is checked first, so a valid token always passes however many unknown ones
 * came from its address, and only the failures are counted and refused.
 */
export async function registerRateLimits(fastify: FastifyInstance, limits: Limits, hooks: RateLimitHooks, store?: FastifyRateLimitStoreCtor): Promise<void> {
  // a shared store (shared-budgets.ts) that fails lets the request through: the handler then answers as it would
  await fastify.register(rateLimit, { global: false, cache: 10_000, ...(store ? { store, skipOnError: true } : {}) });
  // the bucket leads the key, so budgets stay apart when every bucket shares one store
  const budget = (bucket: RateBucket, max: number) =>
    fastify.createRateLimit({ max, timeWindow: limits.rateWindowMs, keyGenerator: (request) => `${bucket}:${keyOf(request)}` });
  const check = {
    public: budget('public', limits.publicPerWindow),
    gate: budget('gate', limits.gateScansPerWindow),
    write: budget('write', limits.writesPerWindow),
    auth: budget('auth', limits.authFailuresPerWindow),
    heavy: budget('heavy', limits.heavyPerWindow),
    report: budget('report', limits.reportsPerWindow),
  };

  const refuse = (reply: FastifyReply, bucket: RateBucket, ttlInSeconds: number, graphql: boolean) => {
    const seconds = Math.max(1, ttlInSeconds);
    reply.code(429).header('retry-after', seconds);
    const message = `Too many requests; retry in ${seconds} s`;
    if (graphql) return reply.send({ errors: [{ message, extensions: { code: 'RATE_LIMITED', bucket, retryAfter: seconds } }] });
    return reply.type('text/plain; charset=utf-8').send(`${message}\n请求过于频繁，请 ${seconds} 秒后再试\n`);
  };

  /** Charges every budget in turn; true when one refused the request (the 429 is sent). */
  const charge = async (request: FastifyRequest, reply: FastifyReply, charges: RateCharge[], graphql: boolean): Promise<boolean> => {
    for (const found of charges) {
      chargeKey.set(request, found.key);
      for (let i = 0; i < found.cost; i++) {
        const result = await check[found.bucket](request);
        if (result.isAllowed) break;
        reply.header('x-ratelimit-limit', result.max);
        reply.header('x-ratelimit-remaining', result.remaining);
        reply.header('x-ratelimit-reset', result.ttlInSeconds);
        if (result.isExceeded) {
          await refuse(reply, found.bucket, result.ttlInSeconds, graphql);
          return true;
        }
      }
    }
    return false;
  };

  /** A request with a bearer token: a failure is counted against the client address and, past the budget, refused (429). */
  const signIn = async (request: FastifyRequest, reply: FastifyReply, graphql: boolean): Promise<'valid' | 'failed' | 'refused'> => {
    if (await hooks.tokenIsValid(request)) return 'valid';
    chargeKey.set(request, `ip:${request.ip}`);
    const failures = await check.auth(request);
    if (!failures.isAllowed && failures.isExceeded) {
      await refuse(reply, 'auth', failures.ttlInSeconds, graphql);
      return 'refused';
    }
    return 'failed';
  };

  fastify.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0];
    if (PUBLIC_PATH.test(path)) await charge(request, reply, [{ bucket: 'public', key: `ip:${request.ip}`, cost: 1 }], false);
    else if (REPORT_PATH.test(path)) {
      // charged before the body is read: a flood of reports costs no parsing and no database work
      const bucket: RateBucket = request.method === 'POST' ? 'report' : 'public';
      await charge(request, reply, [{ bucket, key: `ip:${request.ip}`, cost: 1 }], false);
    }
  });

  // after body parsing, so the GraphQL operation can be read
  fastify.addHook('preHandler', async (request, reply) => {
    const path = request.url.split('?')[0];
    const token = bearerToken(request.headers.authorization);
    // budgets first: they are keyed by the token (or address) as sent, so they cost no database work, and a token
    // nobody holds spends only its own budget; then the token is checked, and only a failure counts against the address
    if (EXPORT_PATH.test(path) || DESK_PATH.test(path)) {
      const bucket: RateBucket = request.method === 'GET' && CAPTURE_JOB_PATH.test(path) ? 'public' : 'heavy';
      if (await charge(request, reply, [{ bucket, key: token ? tokenKey(token) : `ip:${request.ip}`, cost: 1 }], false)) return;
      // the route itself answers a missing or bad token (401)
      if (token) await signIn(request, reply, false);
      return;
    }
    if (request.routeOptions.url !== '/graphql' || request.method === 'OPTIONS') return;
    const found = classifyGraphqlRequest(request);
    if (found.length && (await charge(request, reply, found, true))) return;
    // Apollo answers an unknown, revoked or expired token (UNAUTHENTICATED) from the same cached lookup
    if (token) await signIn(request, reply, true);
  });
}

const chargeKey = new WeakMap<FastifyRequest, string>();

function keyOf(request: FastifyRequest): string {
  return chargeKey.get(request) ?? `ip:${request.ip}`;
}

/** The budgets a GraphQL request draws from; none when it is not limited here (signed-in reads). */
export function classifyGraphqlRequest(request: FastifyRequest): RateCharge[] {
  const payload = (request.method === 'GET' ? request.query : request.body) as { query?: unknown; operationName?: unknown; variables?: unknown } | unknown[] | null;
  if (!payload || Array.isArray(payload) || typeof payload.query !== 'string') return [];
  const token = bearerToken(request.headers.authorization);
  let document: DocumentNode;
  try {
    document = parse(payload.query, { noLocation: true, maxTokens: MAX_CLASSIFY_TOKENS });
  } catch {
    return []; // Apollo answers the parse error itself
  }
  const operation = pickOperation(document, typeof payload.operationName === 'string' ? payload.operationName : null);
  if (!operation) return [];
  const fields = rootFields(document, operation.selectionSet, new Set()).filter((r) => !r.name.value.startsWith('__'));
  const roots = fields.map((f) => f.name.value);
  // more root calls than the alias limit allows are refused by the query limits anyway
  const capped = (n: number) => Math.min(Math.max(1, n), QUERY_LIMITS.maxAliases + 1);
  const cost = capped(roots.length);
  const byToken = token ? tokenKey(token) : `ip:${request.ip}`;
  const variables = parseVariables(request.method === 'GET' ? payload.variables : payload.variables);
  const heavy = fields.filter((f) => isHeavy(f, variables)).length;
  const heavyCharge: RateCharge[] = heavy ? [{ bucket: 'heavy', key: byToken, cost: capped(heavy) }] : [];
  if (operation.operation === 'mutation') {
    const publicWrites = roots.filter((r) => PUBLIC_WRITES.has(r)).length;
    const publicCharge: RateCharge[] = publicWrites ? [{ bucket: 'public', key: `ip:${request.ip}`, cost: capped(publicWrites) }] : [];
    return [roots.includes('scanAtGate') ? { bucket: 'gate', key: byToken, cost } : { bucket: 'write', key: byToken, cost }, ...publicCharge, ...heavyCharge];
  }
  const lookups = roots.filter((r) => PUBLIC_LOOKUPS.has(r)).length;
  if (!token || lookups) return [{ bucket: 'public', key: `ip:${request.ip}`, cost: token ? Math.min(cost, lookups) : cost }, ...heavyCharge];
  return heavyCharge;
}

/** Whether a GraphQL request runs a mutation (false for a query, a subscription, or a document that does not parse). */
export function isGraphqlMutation(request: FastifyRequest): boolean {
  const payload = (request.method === 'GET' ? request.query : request.body) as { query?: unknown; operationName?: unknown } | unknown[] | null;
  if (!payload || Array.isArray(payload) || typeof payload.query !== 'string') return false;
  try {
    const document = parse(payload.query, { noLocation: true, maxTokens: MAX_CLASSIFY_TOKENS });
    return pickOperation(document, typeof payload.operationName === 'string' ? payload.operationName : null)?.operation === 'mutation';
  } catch {
    return false;
  }
}

/** GraphQL variables as sent: an object in a POST body, a JSON string in a GET query string. */
function parseVariables(raw: unknown): Record<string, unknown> {
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw);
    } catch {
      return {};
    }
  }
  return raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
}

function isHeavy(field: FieldNode, variables: Record<string, unknown>): boolean {
  const name = field.name.value;
  if (HEAVY_OPERATIONS.has(name)) return true;
  const bounds = BOUNDED_TRACES[name];
  if (!bounds) return false;
  return (field.arguments ?? []).some((arg) => {
    const limit = bounds[arg.name.value as keyof typeof bounds];
    if (limit === undefined) return false;
    const value = arg.value.kind === Kind.VARIABLE ? variables[arg.value.name.value] : arg.value.kind === Kind.INT ? Number(arg.value.value) : null;
    // a value that is not a number is refused by validation; only a larger bound makes the call heavy
    return typeof value === 'number' && value > limit;
  });
}

function pickOperation(document: DocumentNode, name: string | null): OperationDefinitionNode | null {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (name) return operations.find((o) => o.name?.value === name) ?? null;
  return operations.length === 1 ? operations[0] : null;
}

/** Root fields, looking through fragments so a spread cannot hide a call. */
function rootFields(document: DocumentNode, set: SelectionSetNode, seen: Set<string>): FieldNode[] {
  const names: FieldNode[] = [];
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) names.push(s);
    else if (s.kind === Kind.INLINE_FRAGMENT) names.push(...rootFields(document, s.selectionSet, seen));
    else if (!seen.has(s.name.value)) {
      seen.add(s.name.value);
      const fragment = document.definitions.find((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === s.name.value);
      if (fragment) names.push(...rootFields(document, fragment.selectionSet, seen));
    }
  }
  return names;
}

function tokenKey(token: string): string {
  return `token:${createHash('sha256').update(token).digest('hex').slice(0, 32)}`;
}
