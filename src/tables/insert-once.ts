import type { Db } from './table';
import { conflict } from '../errors';
import type { Table } from './table';

/** A table whose rows a device writes exactly once: a unique client key column, the request's hash and the stored answer. */
export interface OnceRow {
  request_hash: string | null;
  response: unknown;
}

/** The row inserted by this request, or the answer stored by the first request that sent the same key. */
export type InsertedOnce<Row, Returned> = { row: Returned; answer?: never } | { row?: never; answer: NonNullable<Row['response' & keyof Row]> };

/**
 * Inserts the row first, under its unique client key, so every effect that follows runs only for the first request
 * with that key. When the key is taken, the insert waits for the first request's transaction to commit, and its
 * stored answer is the answer; a key reused with another payload (another request hash) is a CONFLICT.
 * jsonb columns are sent as JSON text.
 */
export async function insertOnce<Row extends OnceRow, Returned extends keyof Row & string>(
  ctx: Db,
  table: Table<Row>,
  key: keyof Row & string,
  values: { readonly [C in keyof Row & string]?: unknown },
  returning: readonly Returned[],
  conflictMessage: string,
): Promise<InsertedOnce<Row, Pick<Row, Returned>>> {
  const columns = Object.keys(values) as (keyof Row & string)[];
  const jsonb = (c: keyof Row & string) => table.columns[c] === 'jsonb';
  const [row] = await ctx.em.execute<Pick<Row, Returned>[]>(
    `insert into ${table.name} (${columns.join(', ')})
     values (${columns.map((c) => (jsonb(c) ? '?::jsonb' : '?')).join(', ')}) on conflict (${key}) do nothing returning ${returning.join(', ')}`,
    columns.map((c) => (jsonb(c) ? JSON.stringify(values[c]) : values[c])),
  );
  if (row) return { row };
  const [stored] = await ctx.em.execute<Pick<Row, 'request_hash' | 'response'>[]>(
    `select request_hash, response from ${table.name} where ${key} = ?`,
    [values[key]],
  );
  if (!stored || stored.request_hash !== values.request_hash || stored.response == null) throw conflict(conflictMessage);
  return { answer: stored.response as NonNullable<Row['response' & keyof Row]> };
}

/** The answer as a replay will read it back from its jsonb column, so the first answer and every replay are identical. */
export function asStored<T>(answer: T): T {
  return JSON.parse(JSON.stringify(answer)) as T;
}
