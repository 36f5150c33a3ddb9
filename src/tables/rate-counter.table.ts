import type { Db } from './table';
import { defineTable } from './table';

export interface RateCounterRow {
  key: string;
  hits: number;
  window_ends_at: Date;
}

export const rateCounterTable = defineTable<RateCounterRow>('rate_counter', {
  key: 'text',
  hits: 'int4',
  window_ends_at: 'timestamptz',
});

export interface RateHit {
  /** Hits spent in the current window, this one included. */
  hits: number;
  /** Milliseconds until the window ends. */
  ttlMs: number;
}

/**
 * Spends one hit of `key`'s budget in one statement: a key seen for the first time, or whose window has ended, starts
 * a new window of `windowMs` at 1. The row lock of the upsert orders concurrent hits from every process, so no two
 * read the same count.
 */
export async function hitRateCounter(ctx: Db, key: string, windowMs: number): Promise<RateHit> {
  const [row] = await ctx.em.execute<{ hits: number; ttl_ms: number }[]>(
    `insert into rate_counter as c (key, hits, window_ends_at) values (?, 1, clock_timestamp() + ? * interval '1 millisecond')
     on conflict (key) do update set
       hits = case when c.window_ends_at <= clock_timestamp() then 1 else c.hits + 1 end,
       window_ends_at = case when c.window_ends_at <= clock_timestamp() then excluded.window_ends_at else c.window_ends_at end
     returning hits, greatest(0, ceil(extract(epoch from c.window_ends_at - clock_timestamp()) * 1000))::int as ttl_ms`,
    [key, windowMs],
  );
  return { hits: row.hits, ttlMs: row.ttl_ms };
}

/** The budget of `key` as it stands, spending nothing; a key with no live window has spent nothing. */
export async function readRateCounter(ctx: Db, key: string): Promise<RateHit> {
  const [row] = await ctx.em.execute<{ hits: number; ttl_ms: number }[]>(
    `select hits, greatest(0, ceil(extract(epoch from window_ends_at - clock_timestamp()) * 1000))::int as ttl_ms
       from rate_counter where key = ? and window_ends_at > clock_timestamp()`,
    [key],
  );
  return row ? { hits: row.hits, ttlMs: row.ttl_ms } : { hits: 0, ttlMs: 0 };
}

/** Forgets windows that ended; how many. */
export async function deleteEndedRateCounters(ctx: Db): Promise<number> {
  const rows = await ctx.em.execute<{ key: string }[]>(`delete from rate_counter where window_ends_at <= clock_timestamp() returning key`);
  return rows.length;
}
