import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { MikroORM } from '@mikro-orm/postgresql';
import { deleteEndedRateCounters, hitRateCounter, readRateCounter, type RateHit } from '../tables/rate-counter.table';

/** Every this many hits a process also forgets the windows that ended, so the table holds only live budgets. */
export const SWEEP_EVERY_HITS = 500;

/**
 * A store for @fastify/rate-limit whose budgets live in PostgreSQL (the UNLOGGED `rate_counter`), so every app process
 * — cluster workers, or instances behind a proxy — draws from the same budget and the same sign-in failure count.
 * One statement per hit; keys carry their bucket (rate-limits.ts), so one table serves every budget.
 */
export function postgresRateStore(orm: MikroORM, sweepEvery = SWEEP_EVERY_HITS): FastifyRateLimitStoreCtor {
  let hitsSinceSweep = 0;
  const reply = (cb: (error: Error | null, result?: { current: number; ttl: number }) => void) => (hit: RateHit) => cb(null, { current: hit.hits, ttl: hit.ttlMs });
  const store: FastifyRateLimitStore & { read(key: string, cb: (error: Error | null, result?: { current: number; ttl: number }) => void): void } = {
    incr(key, cb, timeWindow) {
      hitRateCounter({ em: orm.em.fork() }, key, timeWindow).then(reply(cb), (e: Error) => cb(e));
      if (++hitsSinceSweep >= sweepEvery) {
        hitsSinceSweep = 0;
        // a failed sweep leaves ended windows behind; the next hit of their key restarts them anyway
        deleteEndedRateCounters({ em: orm.em.fork() }).catch(() => undefined);
      }
    },
    read(key, cb) {
      readRateCounter({ em: orm.em.fork() }, key).then(reply(cb), (e: Error) => cb(e));
    },
    child: () => store,
  };
  return class {
    constructor() {
      return store;
    }
  } as unknown as FastifyRateLimitStoreCtor;
}
