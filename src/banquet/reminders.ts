import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config';
import { withTransaction, type Db } from '../context';
import { NotificationKind, Role } from '../entities/enums';
import { addDays, localDate } from '../local-time';
import { loggableError } from '../log-safe';
import { recordNotification } from '../notify/outbox';
import { claimBanquetReminders } from '../tables/banquet.table';
import { claimChefExpiryReminders } from '../tables/rural-chef.table';
import { dateText } from '../tables/sql-date';
import { REMINDER_DAYS_BEFORE } from './banquet.rules';
import { CERTIFICATE_NOTICE_DAYS } from './chef.service';
import { runEvery, type ScheduleLog } from '../schedule';

/**
 * Sends, through the notification outbox, the reminder of every banquet due within REMINDER_DAYS_BEFORE (to the
 * village's assistants and the town office) and of every rural chef's health certificate ending within
 * CERTIFICATE_NOTICE_DAYS (to the chef's own account and the town office). Each is claimed in the same transaction
 * as its notification, so a banquet is reminded once and a chef once per certificate end date, however often this
 * runs and on however many processes. Returns how many of each it sent.
 */
export async function sendReminders(ctx: Db & { config: Pick<Config, 'timeZone'> }, now = new Date()): Promise<{ banquets: number; chefs: number }> {
  const today = localDate(now, ctx.config.timeZone);
  return withTransaction(ctx, async (tx) => {
    const banquets = await claimBanquetReminders(tx, today, addDays(today, REMINDER_DAYS_BEFORE));
    for (const b of banquets) {
      const heldOn = dateText(b.held_on)!;
      await recordNotification(tx, {
        kind: NotificationKind.BANQUET_DUE,
        subject: `宴席 ${b.number} 将于 ${heldOn} 举办 / Banquet ${b.number} on ${heldOn} (${b.guests} guests)`,
        payload: { number: b.number, village: b.village, heldOn, guests: b.guests, tier: b.tier },
        audience: { villages: [b.village], roles: [Role.REGULATOR, Role.ADMIN] },
      });
    }
    const chefs = await claimChefExpiryReminders(tx, addDays(today, CERTIFICATE_NOTICE_DAYS));
    for (const c of chefs) {
      const endsOn = dateText(c.health_certificate_expires_on)!;
      await recordNotification(tx, {
        kind: NotificationKind.CHEF_CERTIFICATE_EXPIRING,
        subject: `厨师健康证 ${c.health_certificate_no} 于 ${endsOn} 到期 / Chef health certificate ${c.health_certificate_no} ends ${endsOn}`,
        payload: { operatorId: c.operator_id, healthCertificateNo: c.health_certificate_no, endsOn },
        audience: { operatorIds: [c.operator_id], roles: [Role.REGULATOR, Role.ADMIN] },
      });
    }
    return { banquets: banquets.length, chefs: chefs.length };
  });
}

/** Sends the reminders at start and then every `everyMs` (hourly), until the returned function is called. */
export function startReminders(orm: MikroORM, config: Config, log: ScheduleLog, everyMs = 3_600_000): () => void {
  const run = async () => {
    try {
      const sent = await sendReminders({ em: orm.em.fork(), config });
      if (sent.banquets || sent.chefs) log.info(sent, 'reminders sent');
    } catch (err) {
      // nothing was claimed: the next run sends what this one could not
      log.error({ err: loggableError(err) }, 'reminders failed');
    }
  };
  return runEvery(everyMs, run);
}
