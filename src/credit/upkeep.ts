import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config';
import { createLedgerCheckpoint } from './checkpoint.service';
import { refreshLapsedCredit } from './ledger.service';
import { loggableError } from '../log-safe';
import { CREDIT_UPKEEP_MS } from './checkpoint.check';
import { runEvery, type ScheduleLog } from '../schedule';

/**
 * Keeps stored grades true while no events arrive: an event that expires (a deduction or an addition) or a forced D
 * that ends changes the grade with no write to trigger it, and gates sample by the stored grade. With `config`, each
 * run also signs a ledger checkpoint when any chain head moved since the latest one. Runs at once, then every `everyMs`.
 */
export function startCreditUpkeep(orm: MikroORM, log: ScheduleLog, everyMs = CREDIT_UPKEEP_MS, config: Config | null = null): () => void {
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
    if (!config) return;
    try {
      const c = await createLedgerCheckpoint({ em: orm.em.fork(), config }, true);
      log.info({ checkpoint: c.id, size: c.size, root: c.root }, 'ledger checkpoint');
    } catch (err) {
      // the next run signs one; verification checks against the latest that exists
      log.error({ err: loggableError(err) }, 'ledger checkpoint failed');
    }
  };
  return runEvery(everyMs, run);
}
