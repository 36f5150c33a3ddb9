import type { MikroORM } from '@mikro-orm/postgresql';
import { refreshLapsedCredit } from './ledger.service';
import { loggableError } from '../log-safe';

interface Log {
  info(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

/**
 * Keeps stored grades true while no events arrive: an event that expires (a deduction or an addition) or a forced D
 * that ends changes the grade with no write to trigger it, and gates sample by the stored grade. Runs at once, then every `everyMs`.
 */
export function startCreditUpkeep(orm: MikroORM, log: Log, everyMs = 3600_000): () => void {
  // after the first full pass, each run looks only at what lapsed since the previous one
  let since: Date | null = null;
  const run = async () => {
    const asOf = new Date();
    try {
      const changed = await refreshLapsedCredit({ em: orm.em.fork() }, asOf, since);
      since = asOf;
      if (changed) log.info({ changed }, 'credit grades refreshed after expiry');
    } catch (err) {
      // the next run retries; stored grades stay as they were, never half-written
      log.error({ err: loggableError(err) }, 'credit grade refresh failed');
    }
  };
  void run();
  const timer = setInterval(() => void run(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
