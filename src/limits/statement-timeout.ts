import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../context';

/**
 * Runs `fn` in a read-only transaction in which every SQL statement is cancelled after `ms`
 * (PostgreSQL error 57014, answered to clients as TIMEOUT). `set local` ends with the
 * transaction, so the pooled connection returns to the server default.
 */
export async function withStatementTimeout<T>(em: EntityManager, ms: number, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  const timeout = Math.max(1, Math.trunc(ms));
  return em.transactional(
    async (tx) => {
      await tx.execute(`set local statement_timeout = ${timeout}`);
      return fn(tx);
    },
    { readOnly: true },
  );
}

/** A public lookup (trace, consumer pages): read-only and bounded by PUBLIC_STATEMENT_TIMEOUT_MS. */
export function publicLookup<T>(ctx: Pick<Context, 'em' | 'config'>, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  return withStatementTimeout(ctx.em, ctx.config.limits.publicStatementTimeoutMs, fn);
}
