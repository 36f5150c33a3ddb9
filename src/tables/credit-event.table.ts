import type { Db } from './table';
import { CreditSource, OperatorStatus, type Grade, type OperatorKind } from '../entities/enums';
import type {
  ArchiveCriteria, ArchiveEventRow, CanonicalEvent, ChainHistory, CreditEventData, CreditState, ScoredEvent, StoredLink,
} from '../credit/credit.model';
import type { ChartCount, OperatorScoredEvent } from '../charts/desk-charts.model';
import { toDate } from './sql-time';
import { defineTable } from './table';

/** A credit_event row as PostgreSQL returns it (times may come as text; see `toDate`). */
export interface CreditEventRow {
  id: number;
  operator_id: number;
  seq: number;
  rule_code: string;
  points: number;
  reason: string;
  source: CreditSource;
  source_ref: string | null;
  recorded_by_id: number | null;
  occurred_at: Date | string;
  expires_at: Date | string | null;
  forces_d_until: Date | string | null;
  reverses_id: number | null;
  prev_hash: string;
  hash: string;
  /** How `hash` was computed (credit/chain-hash.ts). */
  hash_version: number;
  created_at: Date | string;
}

export const creditEventTable = defineTable<CreditEventRow>('credit_event', {
  id: 'int4',
  operator_id: 'int4',
  seq: 'int4',
  rule_code: 'varchar',
  points: 'int4',
  reason: 'varchar',
  source: 'text',
  source_ref: 'varchar',
  recorded_by_id: 'int4',
  occurred_at: 'timestamptz',
  expires_at: 'timestamptz',
  forces_d_until: 'timestamptz',
  reverses_id: 'int4',
  prev_hash: 'bpchar',
  hash: 'bpchar',
  hash_version: 'int4',
  created_at: 'timestamptz',
});

/** A stored event with the id of the event that reversed it, as EVENT_COLUMNS selects it. */
export interface EventSqlRow extends CreditEventRow {
  reversed_by_id: number | null;
}

/** Every column of `e` (credit_event) and the id of its reversal `r` (left-joined on r.reverses_id = e.id). */
export const EVENT_COLUMNS = `${creditEventTable.listAs('e')}, r.id as reversed_by_id`;

export function toCreditEvent(r: EventSqlRow): CreditEventData {
  return {
    id: r.id, operatorId: r.operator_id, seq: r.seq, ruleCode: r.rule_code, points: r.points, reason: r.reason, source: r.source,
    sourceRef: r.source_ref, recordedById: r.recorded_by_id, occurredAt: toDate(r.occurred_at), expiresAt: toDate(r.expires_at),
    forcesDUntil: toDate(r.forces_d_until), reversesId: r.reverses_id, reversedById: r.reversed_by_id, prevHash: r.prev_hash, hash: r.hash,
    createdAt: toDate(r.created_at),
  };
}

/** A time as the chain hashes it: ISO text, or null. */
export const isoTime = (d: Date | string | null): string | null => (d === null ? null : toDate(d).toISOString());

/** The canonical form of a stored row: exactly what was hashed when it was appended. */
export function toCanonical(r: Omit<CreditEventRow, 'created_at' | 'hash_version'>): CanonicalEvent {
  return {
    operatorId: r.operator_id,
    seq: r.seq,
    ruleCode: r.rule_code,
    points: r.points,
    reason: r.reason,
    source: r.source,
    sourceRef: r.source_ref,
    recordedById: r.recorded_by_id,
    occurredAt: isoTime(r.occurred_at)!,
    expiresAt: isoTime(r.expires_at),
    forcesDUntil: isoTime(r.forces_d_until),
    reversesId: r.reverses_id,
  };
}

type ScoredRow = Pick<CreditEventRow, 'id' | 'points' | 'occurred_at' | 'expires_at' | 'forces_d_until' | 'reverses_id'>;

function toScored(r: ScoredRow): ScoredEvent {
  return { id: r.id, points: r.points, occurredAt: toDate(r.occurred_at), expiresAt: toDate(r.expires_at), forcesDUntil: toDate(r.forces_d_until), reversesId: r.reverses_id };
}

/** A PostgreSQL array literal of integers, bound as one parameter (a JS array would be spread into a list). */
export function intArray(values: readonly number[]): string {
  return `{${values.map((n) => String(Math.trunc(Number(n)))).join(',')}}`;
}

// ---- the ledger: appending, scoring, verifying ----

/** The operator an event belongs to; null for an unknown event. */
export async function eventOperatorId(ctx: Db, eventId: number): Promise<number | null> {
  const [owner] = await ctx.em.execute<{ operator_id: number }[]>('select operator_id from credit_event where id = ?', [eventId]);
  return owner ? owner.operator_id : null;
}

/** What deciding whether an event may be appealed needs: its operator, points, expiry and whether it is reversed. */
export async function appealableEvent(ctx: Db, eventId: number): Promise<{ operatorId: number; points: number; expiresAt: Date | null; reversed: boolean }> {
  const [event] = await ctx.em.execute<{ operator_id: number; points: number; expires_at: Date | string | null; reversed: boolean }[]>(
    `select e.operator_id, e.points, e.expires_at, exists (select 1 from credit_event r where r.reverses_id = e.id) as reversed
       from credit_event e where e.id = ?`,
    [eventId],
  );
  return { operatorId: event.operator_id, points: event.points, expiresAt: toDate(event.expires_at), reversed: event.reversed };
}

/** What a reversal checks of its target: its operator, rule and whether it is already reversed; null if unknown. */
export async function reversalTarget(ctx: Db, eventId: number): Promise<{ operatorId: number; ruleCode: string; reversed: boolean } | null> {
  const [target] = await ctx.em.execute<{ operator_id: number; rule_code: string; reversed: boolean }[]>(
    'select e.operator_id, e.rule_code, exists (select 1 from credit_event r where r.reverses_id = e.id) as reversed from credit_event e where e.id = ?',
    [eventId],
  );
  return target ? { operatorId: target.operator_id, ruleCode: target.rule_code, reversed: target.reversed } : null;
}

/** One read gives the chain's tail and everything the score needs (call it under the operator's lock). */
export async function chainHistory(ctx: Db, operatorId: number): Promise<ChainHistory> {
  const rows = await ctx.em.execute<(ScoredRow & { seq: number; hash: string })[]>(
    'select id, seq, hash, points, occurred_at, expires_at, forces_d_until, reverses_id from credit_event where operator_id = ? order by seq',
    [operatorId],
  );
  const last = rows[rows.length - 1];
  return { events: rows.map(toScored), tail: last ? { seq: last.seq, hash: last.hash } : null };
}

/**
 * Inserts the event and writes the operator's stored credit and chain head in the same statement, so the two never
 * disagree. The row comes back as stored and must satisfy `hashesAsStored` (the hash is over what the row holds, not
 * over the text sent), else the statement's transaction is abandoned. Returns the new event's id.
 */
export async function insertCreditEvent(
  ctx: Db, e: CanonicalEvent, prevHash: string, hash: string, state: CreditState, hashesAsStored: (stored: CanonicalEvent) => boolean = () => true,
): Promise<number> {
  const [inserted] = await ctx.em.execute<CreditEventRow[]>(
    `with ins as (
       insert into credit_event (operator_id, seq, rule_code, points, reason, source, source_ref, recorded_by_id, occurred_at, expires_at, forces_d_until, reverses_id, prev_hash, hash, hash_version)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 2) returning ${creditEventTable.list}
     ), upd as (
       update operator set credit_score = ?, credit_grade = ?, forced_d_until = ?, credit_chain_seq = ?, credit_chain_head = ? where id = ? returning id
     )
     select ins.* from ins, upd`,
    [e.operatorId, e.seq, e.ruleCode, e.points, e.reason, e.source, e.sourceRef,
      e.recordedById, e.occurredAt, e.expiresAt, e.forcesDUntil, e.reversesId, prevHash, hash,
      state.score, state.grade, isoTime(state.forcedUntil), e.seq, hash, e.operatorId],
  );
  if (!hashesAsStored(toCanonical(inserted))) throw new Error(`credit event ${e.operatorId}:${e.seq} is not stored as it was hashed`);
  return inserted.id;
}

/** An operator's events, in chain order, as the score reads them. */
export async function scoredEvents(ctx: Db, operatorId: number): Promise<ScoredEvent[]> {
  const rows = await ctx.em.execute<ScoredRow[]>(
    'select id, points, occurred_at, expires_at, forces_d_until, reverses_id from credit_event where operator_id = ? order by seq',
    [operatorId],
  );
  return rows.map(toScored);
}

/**
 * When an event stops counting, in SQL, exactly as `expiryOf` (credit/score.ts) computes it: the recorded expiry,
 * or for an addition recorded without one, 24 months after it occurred (months added in UTC, a day past the end
 * of the month running into the next, as JavaScript's setUTCMonth does).
 */
export function expirySql(e: string): string {
  const local = `(${e}.occurred_at at time zone 'UTC')`;
  return `coalesce(${e}.expires_at, case when ${e}.points > 0 then
    (date_trunc('month', ${local}) + interval '24 months' + (${local} - date_trunc('month', ${local}))) at time zone 'UTC' end)`;
}

/**
 * Operators with a moment in (after, asOf] at which time alone changes their credit: an event (a deduction or an
 * addition) expires, a forced D ends, or an event recorded ahead of its time comes due. With additions expiring, a
 * grade can move down as well as up.
 */
export async function operatorsWithLapses(ctx: Db, after: Date, asOf: Date): Promise<number[]> {
  const rows = await ctx.em.execute<{ operator_id: number }[]>(
    `select distinct operator_id from credit_event e
      where (${expirySql('e')} > ? and ${expirySql('e')} <= ?) or (forces_d_until > ? and forces_d_until <= ?)
         or (occurred_at > created_at and occurred_at > ? and occurred_at <= ?)
      order by operator_id`,
    [after, asOf, after, asOf, after, asOf],
  );
  return rows.map((r) => r.operator_id);
}

/**
 * Whether the operator was already charged `ruleCode` for this cause since `since` (ever, when null): by a gate
 * entry of the lot (and of the certificate, when one is given) or, for a lot, by a test of it. Call it under the
 * operator's lock, so the answer holds until the caller's insert commits.
 */
export async function causeCharged(
  ctx: Db, q: { operatorId: number; ruleCode: string; lotId: number; certificateId: number | null; since: Date | null },
): Promise<boolean> {
  const params: unknown[] = [q.operatorId, q.ruleCode];
  let window = '';
  if (q.since) {
    window = 'and e.occurred_at > ?';
    params.push(q.since);
  }
  let byEntry = `e.source = ? and exists (select 1 from market_entry me where me.batch_id = ? and me.id::text = e.source_ref`;
  params.push(CreditSource.ENTRY, q.lotId);
  if (q.certificateId !== null) {
    byEntry += ' and me.certificate_id = ?';
    params.push(q.certificateId);
  }
  byEntry += ')';
  let byTest = 'false';
  if (q.certificateId === null) {
    byTest = `e.source = ? and exists (select 1 from inspection i where i.batch_id = ? and i.id::text = e.source_ref)`;
    params.push(CreditSource.INSPECTION, q.lotId);
  }
  const rows = await ctx.em.execute(
    `select 1 from credit_event e where e.operator_id = ? and e.rule_code = ? ${window} and ((${byEntry}) or (${byTest})) limit 1`,
    params,
  );
  return rows.length > 0;
}

/** Up to `limit` links after (operator, seq) `after`, in (operator, seq) order; of one operator when given. */
export async function chainLinksAfter(ctx: Db, after: [number, number], operatorId: number | null, limit: number): Promise<StoredLink[]> {
  const rows = await ctx.em.execute<CreditEventRow[]>(
    `select ${creditEventTable.list}
       from credit_event
      where (operator_id, seq) > (?, ?) ${operatorId === null ? '' : 'and operator_id = ?'}
      order by operator_id, seq limit ${limit}`,
    operatorId === null ? after : [...after, operatorId],
  );
  return rows.map((r) => ({ id: r.id, canonical: toCanonical(r), prevHash: r.prev_hash, hash: r.hash, hashVersion: r.hash_version }));
}

/** An event exactly as stored, as the ledger export writes it: columns by name, times as ISO text. */
export type ExportedEvent = Omit<CreditEventRow, 'occurred_at' | 'expires_at' | 'forces_d_until' | 'created_at'> & {
  occurred_at: string; expires_at: string | null; forces_d_until: string | null; created_at: string;
};

/** Up to `limit` stored events after (operator, seq) `after`, in (operator, seq) order, for the export. */
export async function storedEventsAfter(ctx: Db, after: [number, number], limit: number): Promise<ExportedEvent[]> {
  const rows = await ctx.em.execute<CreditEventRow[]>(
    `select ${creditEventTable.list} from credit_event where (operator_id, seq) > (?, ?) order by operator_id, seq limit ${limit}`,
    after,
  );
  return rows.map((r) => ({
    ...r, occurred_at: isoTime(r.occurred_at)!, expires_at: isoTime(r.expires_at), forces_d_until: isoTime(r.forces_d_until), created_at: isoTime(r.created_at)!,
  }));
}

/** Whether the operator was already awarded CLEAN_QUARTER for `quarter` (the award's source_ref). */
export async function cleanQuarterAwarded(ctx: Db, operatorId: number, quarter: string): Promise<boolean> {
  const [existing] = await ctx.em.execute<{ id: number }[]>(
    `select id from credit_event where operator_id = ? and rule_code = 'CLEAN_QUARTER' and source_ref = ?`,
    [operatorId, quarter],
  );
  return !!existing;
}

/**
 * Operators that had market entries in [start, end) (as receiving vendor or as the batch's owner), are not revoked,
 * and have no deduction in that time that still stands; in id order.
 */
export async function cleanQuarterCandidates(ctx: Db, start: Date, end: Date): Promise<number[]> {
  const rows = await ctx.em.execute<{ operator_id: number }[]>(
    `select x.operator_id from (
        select me.vendor_id as operator_id from market_entry me where me.created_at >= ? and me.created_at < ?
        union
        select b.owner_id from market_entry me join batch b on b.id = me.batch_id where me.created_at >= ? and me.created_at < ?
      ) x
      join operator o on o.id = x.operator_id
     where o.status <> ?
       and not exists (
         select 1 from credit_event e
          where e.operator_id = x.operator_id and e.points < 0 and e.occurred_at >= ? and e.occurred_at < ?
            and not exists (select 1 from credit_event r where r.reverses_id = e.id))
     order by x.operator_id`,
    [start, end, start, end, OperatorStatus.REVOKED, start, end],
  );
  return rows.map((r) => r.operator_id);
}

// ---- reading the archive ----

/** Events by id, in key order, null for a missing key. */
export async function eventsById(ctx: Db, ids: readonly number[]): Promise<(CreditEventData | null)[]> {
  if (!ids.length) return [];
  const rows = await ctx.em.execute<EventSqlRow[]>(
    `select ${EVENT_COLUMNS} from credit_event e left join credit_event r on r.reverses_id = e.id where e.id = any(?::int[])`,
    [intArray(ids)],
  );
  const map = new Map(rows.map((row) => [row.id, toCreditEvent(row)]));
  return ids.map((id) => map.get(id) ?? null);
}

export interface OperatorEventsKey {
  operatorId: number;
  first: number;
  /** Keyset: events with a lower chain position than this, newest first. */
  beforeSeq: number | null;
}

/**
 * For each key, up to `first + 1` of the operator's events below `beforeSeq`, newest first (the extra one shows
 * whether another page follows); one statement for all keys.
 */
export async function operatorEventsBatch(ctx: Db, keys: readonly OperatorEventsKey[]): Promise<CreditEventData[][]> {
  const rows = await ctx.em.execute<(EventSqlRow & { k: number })[]>(
    `select k.i as k, x.* from unnest(?::int[], ?::int[], ?::int[]) with ordinality as k(op, before, lim, i)
     cross join lateral (
       select ${EVENT_COLUMNS} from credit_event e left join credit_event r on r.reverses_id = e.id
        where e.operator_id = k.op and e.seq < k.before order by e.seq desc limit k.lim + 1
     ) x order by k.i, x.seq desc`,
    [intArray(keys.map((k) => k.operatorId)), intArray(keys.map((k) => k.beforeSeq ?? 2147483647)), intArray(keys.map((k) => k.first))],
  );
  const groups = keys.map(() => [] as CreditEventData[]);
  for (const row of rows) groups[Number(row.k) - 1].push(toCreditEvent(row));
  return groups;
}

/** SQL conditions and their parameters. */
export interface Conditions {
  sql: string;
  params: unknown[];
}

export interface ArchiveWhere extends Conditions {
  /** The conditions on the operator (`o`) alone; null when there are none. */
  operator: Conditions | null;
  /** The conditions on the event (`e`) alone. */
  event: Conditions;
}

/** Validated archive criteria as SQL conditions over `e` (credit_event) and `o` (operator). */
export function archiveWhere(c: ArchiveCriteria): ArchiveWhere {
  const op = { conditions: [] as string[], params: [] as unknown[] };
  const ev = { conditions: [] as string[], params: [] as unknown[] };
  const add = (sql: string, ...values: unknown[]) => {
    const into = sql.startsWith('o.') ? op : ev;
    into.conditions.push(sql);
    into.params.push(...values);
  };
  if (c.grade !== null) add('o.credit_grade = ?', c.grade);
  if (c.kind !== null) add('o.kind = ?', c.kind);
  if (c.village) add('o.village = ?', c.village);
  if (c.scoreMin !== null) add('o.credit_score >= ?', c.scoreMin);
  if (c.scoreMax !== null) add('o.credit_score <= ?', c.scoreMax);
  if (c.rule !== null) add('e.rule_code = ?', c.rule);
  if (c.from) add('e.occurred_at >= ?', c.from);
  if (c.to) add('e.occurred_at < ?', c.to);
  if (c.operatorId !== null) add('e.operator_id = ?', c.operatorId);
  const all = [...op.conditions, ...ev.conditions];
  return {
    sql: all.length ? all.join(' and ') : 'true',
    params: [...op.params, ...ev.params],
    operator: op.conditions.length ? { sql: op.conditions.join(' and '), params: op.params } : null,
    event: { sql: ev.conditions.length ? ev.conditions.join(' and ') : 'true', params: ev.params },
  };
}

/** Operators matching the operator conditions, in id order, at most `limit`. */
export async function operatorsMatching(ctx: Db, where: Conditions, limit: number): Promise<number[]> {
  const rows = await ctx.em.execute<{ id: number }[]>(`select o.id from operator o where ${where.sql} order by o.id limit ${limit}`, where.params);
  return rows.map((r) => r.id);
}

/** Where an archive page starts: below this event's time (epoch microseconds) and id. */
export interface ArchiveKeyset {
  micros: string;
  id: number;
}

const OCCURRED_US = `(extract(epoch from e.occurred_at) * 1000000)::bigint::text as occurred_us`;

/**
 * One archive page's statement. With `operatorIds` (the few operators an operator filter matched) it reads each
 * one's newest events and merges them; otherwise it walks (occurred_at, id) from the keyset and filters as it goes.
 */
export function archivePageStatement(c: ArchiveCriteria, first: number, keysetFrom: ArchiveKeyset | null, operatorIds: number[] | null = null): Conditions {
  const where = archiveWhere(c);
  const keyset = keysetFrom ? `and (e.occurred_at, e.id) < (timestamptz 'epoch' + ?::bigint * interval '1 microsecond', ?)` : '';
  const keysetParams = keysetFrom ? [keysetFrom.micros, keysetFrom.id] : [];
  if (operatorIds) {
    // one branch per operator, each bound to its literal id, so the planner judges each by that operator's own
    // share of the archive: a rare operator is read from its index range, a common one by walking time
    const branch = `(select ${EVENT_COLUMNS}, ${OCCURRED_US}
                from credit_event e left join credit_event r on r.reverses_id = e.id
               where e.operator_id = ? and ${where.event.sql} ${keyset}
               order by e.occurred_at desc, e.id desc limit ${first + 1})`;
    return {
      sql: `select x.* from (${operatorIds.map(() => branch).join(' union all ')}) x
            order by x.occurred_at desc, x.id desc limit ${first + 1}`,
      params: operatorIds.flatMap((id) => [id, ...where.event.params, ...keysetParams]),
    };
  }
  return {
    sql: `select ${EVENT_COLUMNS}, ${OCCURRED_US}
            from credit_event e join operator o on o.id = e.operator_id left join credit_event r on r.reverses_id = e.id
           where ${where.sql} ${keyset}
           order by e.occurred_at desc, e.id desc limit ${first + 1}`,
    params: [...where.params, ...keysetParams],
  };
}

/** Up to `first + 1` archive events, newest first, each with its time in epoch microseconds (for the next keyset). */
export async function archivePageEvents(
  ctx: Db, c: ArchiveCriteria, first: number, keysetFrom: ArchiveKeyset | null, operatorIds: number[] | null,
): Promise<{ micros: string; event: CreditEventData }[]> {
  const { sql, params } = archivePageStatement(c, first, keysetFrom, operatorIds);
  const rows = await ctx.em.execute<(EventSqlRow & { occurred_us: string })[]>(sql, params);
  return rows.map((r) => ({ micros: r.occurred_us, event: toCreditEvent(r) }));
}

interface ArchiveSqlRow extends EventSqlRow {
  operator_name: string;
  operator_kind: OperatorKind;
  village: string | null;
  grade: Grade;
  score: number;
}

/**
 * The archive matching `c`, oldest first, in chunks of at most `chunkRows` rows read through a server-side cursor
 * in one read-only snapshot, on a connection of its own held until the generator ends.
 */
export async function* archiveInChunks(ctx: Db, c: ArchiveCriteria, chunkRows: number): AsyncGenerator<ArchiveEventRow[]> {
  const where = archiveWhere(c);
  const trx = await ctx.em.getKnex().transaction();
  try {
    await trx.raw('set transaction isolation level repeatable read, read only');
    await trx.raw(
      `declare credit_export no scroll cursor for
         select ${EVENT_COLUMNS}, o.name as operator_name, o.kind as operator_kind, o.village, o.credit_grade as grade, o.credit_score as score
           from credit_event e join operator o on o.id = e.operator_id left join credit_event r on r.reverses_id = e.id
          where ${where.sql}
          order by e.occurred_at, e.id`,
      where.params as never[],
    );
    for (;;) {
      const { rows } = (await trx.raw(`fetch forward ${chunkRows} from credit_export`)) as { rows: ArchiveSqlRow[] };
      yield rows.map((r) => ({
        event: toCreditEvent(r), operatorName: r.operator_name, operatorKind: r.operator_kind, village: r.village, grade: r.grade, score: r.score,
      }));
      if (rows.length < chunkRows) break;
    }
  } finally {
    // read-only: ending it either way releases the cursor and the connection
    await trx.commit().catch(() => undefined);
  }
}

/** Every operator's events that occurred before `until`, in chain order, as the score reads them (the desk's grades over time). */
export async function scoredEventsOfAll(ctx: Db, until: Date): Promise<OperatorScoredEvent[]> {
  // moments as epoch milliseconds: a county's two million rows are read several times faster than as timestamps
  const ms = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;
  const rows = await ctx.em.execute<{ o: number; i: number; p: number; t: number; e: number | null; f: number | null; r: number | null }[]>(
    `select operator_id as o, id as i, points as p, ${ms('occurred_at')} as t, ${ms('expires_at')} as e, ${ms('forces_d_until')} as f, reverses_id as r
       from credit_event where occurred_at < ? order by operator_id, seq`,
    [until],
  );
  const at = (n: number | null) => (n === null ? null : new Date(n));
  return rows.map((r) => ({ operatorId: r.o, id: r.i, points: r.p, occurredAt: new Date(r.t), expiresAt: at(r.e), forcesDUntil: at(r.f), reversesId: r.r }));
}

/** Events per rule that occurred in [from, to), reversals left out; one grouped statement. */
export function eventCountsByRule(ctx: Db, from: Date, to: Date): Promise<ChartCount[]> {
  return ctx.em.execute<ChartCount[]>(
    `select rule_code as bucket, 'events' as series, count(*)::int as count
       from credit_event where occurred_at >= ? and occurred_at < ? and reverses_id is null group by rule_code`,
    [from, to],
  );
}
