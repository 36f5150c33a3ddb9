import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Kind, parse, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { bearerToken } from '../auth/bearer';
import type { Limits } from '../config';
import { QUERY_LIMITS } from './query-limits';

/** Which budget a request draws from. */
export type RateBucket = 'public' | 'gate' | 'write' | 'auth';

export interface RateLimiting {
  /** Counts an unknown or revoked bearer token against the client address. */
  authFailed(request: FastifyRequest): Promise<void>;
  /** Remembers a token that was valid, so its holder still gets in from an address others abused. */
  authSucceeded(request: FastifyRequest): void;
}

const RECENTLY_VALID_MAX = 10_000;

export interface RateCharge {
  bucket: RateBucket;
  key: string;
  /** Root fields count one each, so aliasing many calls into one request buys nothing. */
  cost: number;
}

/** Paths of the public pages and images that printed QR codes lead to. */
export const PUBLIC_PATH = /^\/(t|o|qr|01|m)\//;

const MAX_CLASSIFY_TOKENS = 2000;

/** Lookups by public code: counted per client address even when the caller is signed in. */
const PUBLIC_LOOKUPS = new Set(['trace', 'epcisDocument']);

/**
 * Rate limits per client address for public lookups and per bearer token for gate scans and writes.
 * An exceeded budget answers 429 with Retry-After before any resolver or database work.
 */
export async function registerRateLimits(fastify: FastifyInstance, limits: Limits): Promise<RateLimiting> {
  await fastify.register(rateLimit, { global: false, cache: 10_000 });
  const check = {
    public: fastify.createRateLimit({ max: limits.publicPerWindow, timeWindow: limits.rateWindowMs, keyGenerator: keyOf }),
    gate: fastify.createRateLimit({ max: limits.gateScansPerWindow, timeWindow: limits.rateWindowMs, keyGenerator: keyOf }),
    write: fastify.createRateLimit({ max: limits.writesPerWindow, timeWindow: limits.rateWindowMs, keyGenerator: keyOf }),
    auth: fastify.createRateLimit({ max: limits.authFailuresPerWindow, timeWindow: limits.rateWindowMs, keyGenerator: keyOf }),
  };

  const refuse = (reply: FastifyReply, bucket: RateBucket, ttlInSeconds: number, graphql: boolean) => {
    const seconds = Math.max(1, ttlInSeconds);
    reply.code(429).header('retry-after', seconds);
    const message = `Too many requests; retry in ${seconds} s`;
    if (graphql) return reply.send({ errors: [{ message, extensions: { code: 'RATE_LIMITED', bucket, retryAfter: seconds } }] });
    return reply.type('text/plain; charset=utf-8').send(`${message}\n请求过于频繁，请 ${seconds} 秒后再试\n`);
  };

  const charge = async (request: FastifyRequest, reply: FastifyReply, found: RateCharge, graphql: boolean) => {
    chargeKey.set(request, found.key);
    for (let i = 0; i < found.cost; i++) {
      const result = await check[found.bucket](request);
      if (result.isAllowed) return;
      reply.header('x-ratelimit-limit', result.max);
      reply.header('x-ratelimit-remaining', result.remaining);
      reply.header('x-ratelimit-reset', result.ttlInSeconds);
      if (result.isExceeded) return refuse(reply, found.bucket, result.ttlInSeconds, graphql);
    }
  };

  fastify.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0];
    if (PUBLIC_PATH.test(path)) return charge(request, reply, { bucket: 'public', key: `ip:${request.ip}`, cost: 1 }, false);
  });

  // after body parsing, so the GraphQL operation can be read
  fastify.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.url !== '/graphql' || request.method === 'OPTIONS') return;
    // an address that sent too many unknown tokens is refused before its next unknown token is looked up
    const token = bearerToken(request.headers.authorization);
    if (token && !recentlyValid.has(tokenKey(token))) {
      chargeKey.set(request, `ip:${request.ip}`);
      const failures = await check.auth(request, { increment: false });
      if (!failures.isAllowed && failures.remaining === 0) return refuse(reply, 'auth', failures.ttlInSeconds, true);
    }
    const found = classifyGraphqlRequest(request);
    if (found) return charge(request, reply, found, true);
  });

  // insertion-ordered, so the oldest entry is dropped first
  const recentlyValid = new Set<string>();
  return {
    async authFailed(request) {
      chargeKey.set(request, `ip:${request.ip}`);
      await check.auth(request);
    },
    authSucceeded(request) {
      const token = bearerToken(request.headers.authorization);
      if (!token) return;
      const key = tokenKey(token);
      recentlyValid.delete(key);
      recentlyValid.add(key);
      if (recentlyValid.size > RECENTLY_VALID_MAX) recentlyValid.delete(recentlyValid.values().next().value!);
    },
  };
}

const chargeKey = new WeakMap<FastifyRequest, string>();

function keyOf(request: FastifyRequest): string {
  return chargeKey.get(request) ?? `ip:${request.ip}`;
}

/** The budget a GraphQL request draws from, or null when it is not limited here (signed-in reads). */
export function classifyGraphqlRequest(request: FastifyRequest): RateCharge | null {
  const payload = (request.method === 'GET' ? request.query : request.body) as { query?: unknown; operationName?: unknown } | unknown[] | null;
  if (!payload || Array.isArray(payload) || typeof payload.query !== 'string') return null;
  const token = bearerToken(request.headers.authorization);
  let document: DocumentNode;
  try {
    document = parse(payload.query, { noLocation: true, maxTokens: MAX_CLASSIFY_TOKENS });
  } catch {
    return null; // Apollo answers the parse error itself
  }
  const operation = pickOperation(document, typeof payload.operationName === 'string' ? payload.operationName : null);
  if (!operation) return null;
  const roots = rootFields(document, operation.selectionSet, new Set()).filter((r) => !r.startsWith('__'));
  // more root calls than the alias limit allows are refused by the query limits anyway
  const cost = Math.min(Math.max(1, roots.length), QUERY_LIMITS.maxAliases + 1);
  const byToken = token ? tokenKey(token) : `ip:${request.ip}`;
  if (operation.operation === 'mutation') {
    return roots.includes('scanAtGate') ? { bucket: 'gate', key: byToken, cost } : { bucket: 'write', key: byToken, cost };
  }
  const lookups = roots.filter((r) => PUBLIC_LOOKUPS.has(r)).length;
  if (!token || lookups) return { bucket: 'public', key: `ip:${request.ip}`, cost: token ? Math.min(cost, lookups) : cost };
  return null;
}

function pickOperation(document: DocumentNode, name: string | null): OperationDefinitionNode | null {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (name) return operations.find((o) => o.name?.value === name) ?? null;
  return operations.length === 1 ? operations[0] : null;
}

/** Root field names, looking through fragments so a spread cannot hide a call. */
function rootFields(document: DocumentNode, set: SelectionSetNode, seen: Set<string>): string[] {
  const names: string[] = [];
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) names.push(s.name.value);
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
