import type { TransactionOptions } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Config } from './config';
import type { Viewer } from './auth/viewer.model';
import { PublicReads } from './db/public-reads';
import { createLoaders, type Loaders } from './loaders';
import type { Db } from './tables/table';

/** Everything one request may touch; nothing else reaches the database. */
export interface Context {
  em: EntityManager;
  viewer: Viewer;
  loaders: Loaders;
  config: Config;
  clientIp: string | null;
  /** The public lookups' own read-only, time-bounded connections (see PublicReads). */
  reads: PublicReads;
  /** The replica's EntityManager when public lookups may read it now (db/read-route.ts); unset or null: `em`. */
  publicEm?: () => EntityManager | null;
}

/** What a function that only speaks SQL needs of the context (table modules, walks). */
export type { Db };

/** One public-lookup pool per ORM for contexts built outside a request (jobs, scripts); idle, it holds no connection. */
const defaultReads = new WeakMap<MikroORM, PublicReads>();

function publicReadsOf(orm: MikroORM, config: Config): PublicReads {
  let reads = defaultReads.get(orm);
  if (!reads) defaultReads.set(orm, (reads = new PublicReads(orm.config.get('clientUrl')!, config.limits.publicStatementTimeoutMs)));
  return reads;
}

export function buildContext(
  orm: MikroORM, config: Config, viewer: Viewer, clientIp: string | null = null, reads: PublicReads = publicReadsOf(orm, config),
): Context {
  const em = orm.em.fork(); // own identity map per request
  return { em, viewer, loaders: createLoaders(em), config, clientIp, reads };
}

/**
 * Runs `fn` in a transaction and hands it the same context bound to that transaction (Vendure's
 * `withTransaction(ctx, …)`); `options` may ask for a read-only or repeatable-read one. Commits when `fn` resolves.
 */
export function withTransaction<C extends Db, T>(ctx: C, fn: (tx: C) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  return ctx.em.transactional((em) => fn({ ...ctx, em }), options);
}

/**
 * A read-only transaction in which every statement is cancelled after `ms` (PostgreSQL error 57014, answered to
 * clients as TIMEOUT). `set local` ends with the transaction, so the pooled connection keeps the server default.
 */
export function withReadOnlyTransaction<C extends Db, T>(ctx: C, ms: number, fn: (tx: C) => Promise<T>): Promise<T> {
  const timeout = Math.max(1, Math.trunc(ms));
  return ctx.em.transactional(
    async (em) => {
      await em.execute(`set local statement_timeout = ${timeout}`);
      return fn({ ...ctx, em });
    },
    { readOnly: true },
  );
}

/** A public lookup (trace, consumer pages): read-only, bounded by PUBLIC_STATEMENT_TIMEOUT_MS, on the replica when one keeps up. */
export function withPublicLookup<C extends Db & Pick<Context, 'config' | 'publicEm'>, T>(ctx: C, fn: (tx: C) => Promise<T>): Promise<T> {
  const replica = ctx.publicEm?.();
  return withReadOnlyTransaction(replica ? { ...ctx, em: replica } : ctx, ctx.config.limits.publicStatementTimeoutMs, fn);
}
