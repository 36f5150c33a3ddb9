import { withTransaction, type Context } from '../context';
import { Role } from '../entities/enums';
import { forbidden, unauthenticated } from '../errors';
import { queryEvents } from '../tables/epcis-event.table';
import type { CapturedEvent, EventQuery } from './exchange.model';

/** The page of captured events the query asks for, and the token of the next page when there is one. */
export interface EventPage {
  events: CapturedEvent[];
  nextPageToken: string | null;
}

/**
 * EPCIS SimpleEventQuery over the captured events, for ADMIN and REGULATOR: one statement, one page more than asked
 * read to know whether another page follows. Page tokens are the last event's id (opaque to the client).
 */
export async function queryCapturedEvents(ctx: Context, q: EventQuery): Promise<EventPage> {
  if (!ctx.viewer.accountId) throw unauthenticated();
  if (ctx.viewer.role !== Role.ADMIN && ctx.viewer.role !== Role.REGULATOR) throw forbidden('Requires role ADMIN or REGULATOR');
  const rows = await withTransaction(ctx, (tx) => queryEvents(tx, { ...q, limit: q.limit + 1 }), { readOnly: true });
  const events = rows.slice(0, q.limit);
  return { events, nextPageToken: rows.length > q.limit ? pageToken(events[events.length - 1].id) : null };
}

export function pageToken(afterId: number): string {
  return Buffer.from(`after:${afterId}`).toString('base64url');
}

/** The id a page token continues after; null when it is not one of ours. */
export function afterIdOf(token: string): number | null {
  const m = /^after:(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : null;
}
