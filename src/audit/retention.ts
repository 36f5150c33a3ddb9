import type { MikroORM } from '@mikro-orm/postgresql';
import { loggableError } from '../log-safe';
import { MIN_AUDIT_RETENTION_DAYS, purgeExpiredAuditEvents } from './audit.service';
import { runEvery, type ScheduleLog } from '../schedule';

export const DEFAULT_AUDIT_RETENTION_DAYS = 1095;

/** AUDIT_RETENTION_DAYS: how long audit rows (and the personal data they name) are kept; whole days ≥ 30. */
export function auditRetentionDays(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.AUDIT_RETENTION_DAYS;
  if (raw === undefined || raw.trim() === '') return DEFAULT_AUDIT_RETENTION_DAYS;
  const days = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(days) || days < MIN_AUDIT_RETENTION_DAYS || days > 36_500) {
    throw new Error(`AUDIT_RETENTION_DAYS must be a whole number of days from ${MIN_AUDIT_RETENTION_DAYS} to 36500, got ${JSON.stringify(raw)}`);
  }
  return days;
}

/** Purges audit rows older than the retention at once, then every `everyMs` (daily by default). */
export function startAuditRetention(orm: MikroORM, log: ScheduleLog, retentionDays: number, everyMs = 86_400_000): () => void {
  const run = async () => {
    try {
      const purged = await purgeExpiredAuditEvents({ em: orm.em.fork() }, retentionDays);
      if (purged) log.info({ purged, retentionDays }, 'audit rows past retention purged');
    } catch (err) {
      // the next run retries; rows past retention stay one more day, never fewer are kept
      log.error({ err: loggableError(err) }, 'audit purge failed');
    }
  };
  return runEvery(everyMs, run);
}
