import type { Db } from '../context';

export interface Cursors {
  /** The next rows of the named cursor, at most `count`; fewer means it is at its end. */
  fetch<T>(name: string, count: number): Promise<T[]>;
  /** Ends the snapshot, releasing the cursors and the connection. */
  close(): Promise<void>;
}

/**
 * Statements opened as server-side cursors in one read-only snapshot, on a connection of their own held until
 * `close` (so a reader streams their rows without holding them). Cursor names are the caller's constants.
 */
export async function openCursors(ctx: Db, cursors: { name: string; sql: string; params: unknown[] }[]): Promise<Cursors> {
  const trx = await ctx.em.getKnex().transaction();
  try {
    await trx.raw('set transaction isolation level repeatable read, read only');
    for (const c of cursors) await trx.raw(`declare ${c.name} no scroll cursor for ${c.sql}`, c.params as never[]);
  } catch (e) {
    await trx.rollback().catch(() => undefined);
    throw e;
  }
  return {
    async fetch<T>(name: string, count: number) {
      return ((await trx.raw(`fetch forward ${count} from ${name}`)) as { rows: T[] }).rows;
    },
    // read-only: committing or rolling back is the same, and either ends the cursors
    close: () => trx.commit().then(() => undefined, () => undefined),
  };
}
