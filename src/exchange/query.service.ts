import { withTransaction, type Context } from '../context';
import { Role } from '../entities/enums';
import { forbidden, unauthenticated } from '../errors';
import { queryEvents } from '../tables/epcis-event.table';
import { epcisContext, producedEventsOfLots, type EpcisEvent } from '../trace/epcis.service';
import { epcKeys } from './capture.service';
import { eventHash, prefixesOf } from './event-hash';
import type { EventPosition, EventQuery } from './exchange.model';
import { producedRecords } from './query.sql';

/** The page of events the query asks for, and the token of the next page when there is one. */
export interface EventPage {
  events: EpcisEvent[];
  nextPageToken: string | null;
}

interface Placed extends EventPosition {
  body: EpcisEvent;
}

const order = (a: EventPosition, b: EventPosition) => a.time.getTime() - b.time.getTime() || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0);

/** Records read per round of produced events: enough for a page, more when one instant holds many. */
const ROUND = 200;

/**
 * EPCIS SimpleEventQuery over the events foodtrace produces for its lots and the events captured, merged in
 * (event time, CBV event hash) order; a captured event that was produced here (the same hash) is one event.
 * ADMIN and REGULATOR see every event; an operator the events of its own lots and the events it captured.
 * Produced events are made in rounds from the records of their lots in time order (`producedRecords`), each round
 * complete up to the time of its last record, so a page reads only as far as it needs; page tokens are the last
 * event's position.
 */
export async function queryEpcisEvents(ctx: Context, q: EventQuery): Promise<EventPage> {
  const viewer = ctx.viewer;
  if (!viewer.accountId) throw unauthenticated();
  const everyone = viewer.role === Role.ADMIN || viewer.role === Role.REGULATOR;
  if (!everyone && viewer.role !== Role.OPERATOR) throw forbidden('Requires role ADMIN, REGULATOR or OPERATOR');
  const ownerId = everyone ? null : viewer.operatorId;
  const accountId = everyone ? null : viewer.accountId;
  const prefixes = prefixesOf(epcisContext(ctx.config.publicUrl));
  return withTransaction(ctx, async (tx) => {
    const out: Placed[] = [];
    let after = q.after;
    let round = ROUND;
    for (;;) {
      const need = q.limit + 1 - out.length;
      const start = after && (!q.from || after.time > q.from) ? after.time : q.from ?? new Date(0);
      const records = await producedRecords(tx, { from: start, to: q.to, ownerId, limit: round });
      // every event before the last record's time is made: events at that instant wait for the next round
      const horizon = records.length === round ? records[records.length - 1].at : null;
      if (horizon && start.getTime() === new Date(horizon).getTime()) {
        round *= 4; // one instant holds more records than a round: read it whole
        continue;
      }
      const lots = [...new Map(records.map((r) => [r.id, { id: r.id, status: r.status }])).values()];
      const produced: Placed[] = (await producedEventsOfLots(tx, lots))
        .map((body) => ({ time: new Date(body.eventTime), hash: eventHash(body, prefixes), body }))
        .filter((e) => (!after || order(e, after) > 0) && (!horizon || e.time < new Date(horizon)) && matches(e.body, q));
      const captured: Placed[] = (await queryEvents(tx, { ...q, after, before: horizon ? new Date(horizon) : null, accountId, limit: need }))
        .map((e) => ({ time: e.eventTime, hash: e.eventHash, body: e.body as EpcisEvent }));
      const merged = new Map<string, Placed>();
      for (const e of [...captured, ...produced]) if (!merged.has(e.hash)) merged.set(e.hash, e);
      out.push(...[...merged.values()].sort(order).slice(0, need));
      if (out.length > q.limit || !horizon) break;
      after = { time: new Date(horizon), hash: '' };
    }
    const page = out.slice(0, q.limit);
    return { events: page.map((e) => e.body), nextPageToken: out.length > q.limit ? pageToken(page[page.length - 1]) : null };
  }, { readOnly: true });
}

/** Whether a produced event matches the query's parameters (the captured ones are matched in SQL). */
function matches(e: EpcisEvent, q: EventQuery): boolean {
  const time = Date.parse(e.eventTime);
  if (q.from && time < q.from.getTime()) return false;
  if (q.to && time >= q.to.getTime()) return false;
  if (q.eventTypes && !q.eventTypes.includes(e.type)) return false;
  if (q.bizSteps && !q.bizSteps.includes(e.bizStep)) return false;
  if (q.dispositions && !q.dispositions.includes(e.disposition)) return false;
  if (q.readPoints && !q.readPoints.includes(e.readPoint?.id)) return false;
  if (q.epcs && !epcKeys(e).some((k) => q.epcs!.includes(k))) return false;
  return true;
}

export function pageToken(p: EventPosition): string {
  return Buffer.from(`${p.time.toISOString()}|${p.hash}`).toString('base64url');
}

/** The position a page token continues after; null when it is not one of ours. */
export function positionOf(token: string): EventPosition | null {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\|([\x21-\x7e]{1,200})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!m) return null;
  const time = new Date(m[1]);
  return Number.isNaN(time.getTime()) ? null : { time, hash: m[2] };
}
