import type { MikroORM } from '@mikro-orm/postgresql';
import { withTransaction, type Db } from '../context';
import { NotificationKind, Role } from '../entities/enums';
import { loggableError } from '../log-safe';
import { recordNotification } from '../notify/outbox';
import { claimOverdueOrders } from '../tables/rectification-order.table';
import { runEvery, type ScheduleLog } from '../schedule';

/**
 * Tells, through the notification outbox, of every open rectification order past its deadline: to its operator, the
 * assistants of its village and the town office. Each order is claimed in the same transaction as its notification,
 * so it is told once however often this runs and on however many processes. The ids of the orders told now.
 * The RECTIFICATION_OVERDUE credit charge stays the office's act (`chargeOverdueOrders`, or a re-check).
 */
export async function tellOverdueOrders(ctx: Db, now = new Date()): Promise<number[]> {
  return withTransaction(ctx, async (tx) => {
    const orders = await claimOverdueOrders(tx, now);
    for (const o of orders) {
      const deadline = o.deadline.toISOString();
      await recordNotification(tx, {
        kind: NotificationKind.ORDER_OVERDUE,
        subject: `整改逾期 Rectification order ${o.id} overdue since ${deadline.slice(0, 10)}`,
        payload: { orderId: o.id, inspectionId: o.inspectionId, operatorId: o.operatorId, village: o.village, deadline },
        audience: { roles: [Role.REGULATOR, Role.ADMIN], operatorIds: [o.operatorId], villages: o.village ? [o.village] : [] },
      });
    }
    return orders.map((o) => o.id);
  });
}

/** Looks for overdue orders at start and then every `everyMs` (hourly), until the returned function is called. */
export function startOverdueOrders(orm: MikroORM, log: ScheduleLog, everyMs = 3_600_000): () => void {
  const run = async () => {
    try {
      const told = await tellOverdueOrders({ em: orm.em.fork() });
      if (told.length) log.info({ orders: told }, 'overdue rectification orders told');
    } catch (err) {
      // nothing was claimed: the next run tells what this one could not
      log.error({ err: loggableError(err) }, 'overdue orders check failed');
    }
  };
  return runEvery(everyMs, run);
}
