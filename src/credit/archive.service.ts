import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../context';
import { Grade, OperatorKind } from '../entities/enums';
import { badInput } from '../errors';
import { decodeCursor, encodeCursor, type Page } from '../registry/pagination';
import * as v from '../validation';
import type { CreditEventData } from '../schema/credit.type';
import type { StoredRow } from './ledger.service';
import { ruleFor } from './rules';
import { toDate } from './sql-time';


export const EVENT_COLUMNS = `e.id, e.operator_id, e.seq, e.rule_code, e.points, e.reason, e.source, e.source_ref, e.recorded_by_id,
  e.occurred_at, e.expires_at, e.forces_d_until, e.reverses_id, r.id as reversed_by_id, e.prev_hash, e.hash, e.created_at`;

/** A stored event with the id of the event that reversed it, as EVENT_COLUMNS selects it. */
export interface EventSqlRow extends StoredRow {
  reversed_by_id: number | null;
  created_at: Date | string;
}

export function toRecord(r: EventSqlRow): CreditEventData {
  return {
    id: r.id, operatorId: r.operator_id, seq: r.seq, ruleCode: r.rule_code, points: r.points, reason: r.reason, source: r.source,
    sourceRef: r.source_ref, recordedById: r.recorded_by_id, occurredAt: toDate(r.occurred_at), expiresAt: toDate(r.expires_at),
    forcesDUntil: toDate(r.forces_d_until), reversesId: r.reverses_id, reversedById: r.reversed_by_id, prevHash: r.prev_hash, hash: r.hash,
    createdAt: toDate(r.created_at),
  };
}

/** A PostgreSQL array literal of integers, bound as one parameter (a JS array would be spread into a list). */
export function intArray(values: readonly number[]): string {
  return `{${values.map((n) => String(Math.trunc(Number(n)))).join(',')}}`;
}

/** Loads events by id, in key order, null for a missing key. */
export async function eventsById(em: EntityManager, ids: readonly number[]): Promise<(CreditEventData | null)[]> {
  if (!ids.length) return [];
  const rows = await em.execute<EventSqlRow[]>(
    `select ${EVENT_COLUMNS} from credit_event e left join credit_event r on r.reverses_id = e.id where e.id = any(?::int[])`,
    [intArray(ids)],
  );
  const map = new Map(rows.map((row) => [row.id, toRecord(row)]));
  return ids.map((id) => map.get(id) ?? null);
}

interface EventsKey {
  operatorId: number;
  first: number;
  /** Keyset: events with a lower chain position than this, newest first. */
  beforeSeq: number | null;
}

const loaders = new WeakMap<Context, DataLoader<EventsKey, Page<CreditEventData>, string>>();

/**
 * One page of each operator's events, newest first; all operators of a request are loaded in one statement,
 * so listing N operators with their events costs one query, not N.
 */
export function operatorEventsLoader(ctx: Context): DataLoader<EventsKey, Page<CreditEventData>, string> {
  let loader = loaders.get(ctx);
  if (!loader) {
    loader = new DataLoader<EventsKey, Page<CreditEventData>, string>(
      async (keys) => {
        const rows = await ctx.em.execute<(EventSqlRow & { k: number })[]>(
          `select k.i as k, x.* from unnest(?::int[], ?::int[], ?::int[]) with ordinality as k(op, before, lim, i)
           cross join lateral (
             select ${EVENT_COLUMNS} from credit_event e left join credit_event r on r.reverses_id = e.id
              where e.operator_id = k.op and e.seq < k.before order by e.seq desc limit k.lim + 1
           ) x order by k.i, x.seq desc`,
          [intArray(keys.map((k) => k.operatorId)), intArray(keys.map((k) => k.beforeSeq ?? 2147483647)), intArray(keys.map((k) => k.first))],
        );
        const groups = keys.map(() => [] as CreditEventData[]);
        for (const row of rows) groups[Number(row.k) - 1].push(toRecord(row));
        return groups.map((list, i) => {
          const nodes = list.slice(0, keys[i].first);
          return { nodes, hasNextPage: list.length > keys[i].first, endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1].seq) : null };
        });
      },
      { cacheKeyFn: (k) => `${k.operatorId}:${k.first}:${k.beforeSeq}` },
    );
    loaders.set(ctx, loader);
  }
  return loader;
}

/** A page of one operator's events, newest first; cursors are chain positions. */
export function operatorEvents(ctx: Context, operatorId: number, first: number, after: string | null | undefined): Promise<Page<CreditEventData>> {
  return operatorEventsLoader(ctx).load({ operatorId, first, beforeSeq: decodeCursor('after', after) });
}

export interface ArchiveFilterData {
  grade?: Grade | null;
  kind?: OperatorKind | null;
  village?: string | null;
  scoreMin?: number | null;
  scoreMax?: number | null;
  rule?: string | null;
  from?: Date | null;
  to?: Date | null;
  operatorId?: number | string | null;
}

interface Conditions {
  sql: string;
  params: unknown[];
}

export interface ArchiveWhere extends Conditions {
  /** The conditions on the operator (`o`) alone; null when there are none. */
  operator: Conditions | null;
  /** The conditions on the event (`e`) alone. */
  event: Conditions;
}

/** A validated archive filter as SQL conditions over `e` (credit_event) and `o` (operator). */
export function archiveWhere(filter: ArchiveFilterData, field = 'filter'): ArchiveWhere {
  const op = { conditions: [] as string[], params: [] as unknown[] };
  const ev = { conditions: [] as string[], params: [] as unknown[] };
  const add = (sql: string, ...values: unknown[]) => {
    const into = sql.startsWith('o.') ? op : ev;
    into.conditions.push(sql);
    into.params.push(...values);
  };
  if (filter.grade != null) {
    if (!Object.values(Grade).includes(filter.grade)) throw badInput(`${field}.grade`, `must be one of ${Object.values(Grade).join(', ')}`);
    add('o.credit_grade = ?', filter.grade);
  }
  if (filter.kind != null) {
    if (!Object.values(OperatorKind).includes(filter.kind)) throw badInput(`${field}.kind`, `must be one of ${Object.values(OperatorKind).join(', ')}`);
    add('o.kind = ?', filter.kind);
  }
  const village = v.text(`${field}.village`, filter.village, 100, { optional: true });
  if (village) add('o.village = ?', village);
  const score = (name: 'scoreMin' | 'scoreMax') => {
    const value = filter[name];
    if (value == null) return null;
    if (!Number.isInteger(value) || value < 0 || value > 100) throw badInput(`${field}.${name}`, 'must be an integer from 0 to 100');
    return value;
  };
  const scoreMin = score('scoreMin');
  const scoreMax = score('scoreMax');
  if (scoreMin !== null && scoreMax !== null && scoreMin > scoreMax) throw badInput(`${field}.scoreMax`, 'must not be below scoreMin');
  if (scoreMin !== null) add('o.credit_score >= ?', scoreMin);
  if (scoreMax !== null) add('o.credit_score <= ?', scoreMax);
  if (filter.rule != null) {
    if (!ruleFor(filter.rule)) throw badInput(`${field}.rule`, `unknown rule ${filter.rule}`);
    add('e.rule_code = ?', filter.rule);
  }
  const date = (name: 'from' | 'to') => {
    const value = filter[name];
    if (value == null) return null;
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw badInput(`${field}.${name}`, 'must be a valid date');
    return value;
  };
  const from = date('from');
  const to = date('to');
  if (from && to && from.getTime() >= to.getTime()) throw badInput(`${field}.to`, 'must be after from');
  if (from) add('e.occurred_at >= ?', from);
  if (to) add('e.occurred_at < ?', to);
  if (filter.operatorId != null) add('e.operator_id = ?', v.id(`${field}.operatorId`, filter.operatorId));
  const all = [...op.conditions, ...ev.conditions];
  return {
    sql: all.length ? all.join(' and ') : 'true',
    params: [...op.params, ...ev.params],
    operator: op.conditions.length ? { sql: op.conditions.join(' and '), params: op.params } : null,
    event: { sql: ev.conditions.length ? ev.conditions.join(' and ') : 'true', params: ev.params },
  };
}

/** Archive cursor: the event's time in epoch microseconds and its id, exact at PostgreSQL's precision. */
export function encodeArchiveCursor(micros: string, id: number): string {
  return Buffer.from(`a:${micros}:${id}`, 'utf8').toString('base64url');
}

export function decodeArchiveCursor(field: string, cursor: string | null | undefined): { micros: string; id: number } | null {
  if (cursor == null || cursor === '') return null;
  const m = /^a:(-?\d{1,17}):(\d{1,10})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw badInput(field, 'is not a valid cursor');
  return { micros: m[1], id: Number(m[2]) };
}

export interface ArchivePage {
  edges: { cursor: string; node: CreditEventData }[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/** Up to this many operators matching an operator filter, each one's events are read separately and merged. */
export const ARCHIVE_PER_OPERATOR_MAX = 50;

const OCCURRED_US = `(extract(epoch from e.occurred_at) * 1000000)::bigint::text as occurred_us`;

/**
 * SQL of one archive page; exported so its plan can be examined. With `operatorIds` (the few operators an operator
 * filter matched) it reads each one's newest events and merges them; otherwise it walks (occurred_at, id) from the
 * cursor and filters as it goes.
 */
export function archivePageSql(filter: ArchiveFilterData, first: number, after: string | null | undefined, operatorIds: number[] | null = null): Conditions {
  const where = archiveWhere(filter);
  const cursor = decodeArchiveCursor('after', after);
  const keyset = cursor ? `and (e.occurred_at, e.id) < (timestamptz 'epoch' + ?::bigint * interval '1 microsecond', ?)` : '';
  const cursorParams = cursor ? [cursor.micros, cursor.id] : [];
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
      params: operatorIds.flatMap((id) => [id, ...where.event.params, ...cursorParams]),
    };
  }
  return {
    sql: `select ${EVENT_COLUMNS}, ${OCCURRED_US}
            from credit_event e join operator o on o.id = e.operator_id left join credit_event r on r.reverses_id = e.id
           where ${where.sql} ${keyset}
           order by e.occurred_at desc, e.id desc limit ${first + 1}`,
    params: [...where.params, ...cursorParams],
  };
}

/** The filtered archive, newest first, by keyset on (occurred_at, id): page 1,000 costs what page 1 costs. */
export async function creditArchive(ctx: Context, filter: ArchiveFilterData, first: number, after: string | null | undefined): Promise<ArchivePage> {
  const where = archiveWhere(filter);
  decodeArchiveCursor('after', after);
  let operatorIds: number[] | null = null;
  if (where.operator) {
    // a selective operator filter (a village, a grade few hold) would otherwise walk most of the archive to fill a page
    const matched = await ctx.em.execute<{ id: number }[]>(
      `select o.id from operator o where ${where.operator.sql} order by o.id limit ${ARCHIVE_PER_OPERATOR_MAX + 1}`,
      where.operator.params,
    );
    if (!matched.length) return { edges: [], hasNextPage: false, endCursor: null };
    if (matched.length <= ARCHIVE_PER_OPERATOR_MAX) operatorIds = matched.map((m) => m.id);
  }
  const { sql, params } = archivePageSql(filter, first, after, operatorIds);
  const rows = await ctx.em.execute<(EventSqlRow & { occurred_us: string })[]>(sql, params);
  const edges = rows.slice(0, first).map((r) => ({ cursor: encodeArchiveCursor(r.occurred_us, r.id), node: toRecord(r) }));
  return { edges, hasNextPage: rows.length > first, endCursor: edges.length ? edges[edges.length - 1].cursor : null };
}

export const CSV_COLUMNS = [
  'event_id', 'occurred_at', 'operator_id', 'operator_name', 'operator_kind', 'village', 'grade', 'score', 'seq', 'rule_code', 'points',
  'reason', 'source', 'source_ref', 'recorded_by_id', 'expires_at', 'forces_d_until', 'reverses_id', 'reversed_by_id', 'hash',
] as const;

interface CsvRow extends EventSqlRow {
  operator_name: string;
  operator_kind: string;
  village: string | null;
  grade: string;
  score: number;
}

/** A CSV cell; free text that a spreadsheet would run as a formula is prefixed with an apostrophe. */
export function csvCell(value: unknown, freeText = false): string {
  if (value === null || value === undefined) return '';
  let s = value instanceof Date ? value.toISOString() : String(value);
  if (freeText && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvLine(r: CsvRow): string {
  return [
    csvCell(r.id), csvCell(toDate(r.occurred_at)), csvCell(r.operator_id), csvCell(r.operator_name, true), csvCell(r.operator_kind), csvCell(r.village, true),
    csvCell(r.grade), csvCell(r.score), csvCell(r.seq), csvCell(r.rule_code), csvCell(r.points), csvCell(r.reason, true), csvCell(r.source),
    csvCell(r.source_ref, true), csvCell(r.recorded_by_id), csvCell(toDate(r.expires_at)), csvCell(toDate(r.forces_d_until)), csvCell(r.reverses_id),
    csvCell(r.reversed_by_id), csvCell(r.hash),
  ].join(',') + '\r\n';
}

/**
 * The filtered archive as CSV chunks, oldest first, read through a server-side cursor in one read-only snapshot:
 * at most `chunkRows` rows are in memory at a time, however large the archive. The filter is validated before
 * anything is returned, so a bad one fails the request instead of a half-written file.
 */
export function creditArchiveCsv(em: EntityManager, filter: ArchiveFilterData, chunkRows = 2000): AsyncGenerator<string> {
  const where = archiveWhere(filter);
  const knex = em.getKnex();
  async function* chunks(): AsyncGenerator<string> {
    const trx = await knex.transaction();
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
      // the byte-order mark makes spreadsheet programs read the Chinese text as UTF-8
      yield `\uFEFF${CSV_COLUMNS.join(',')}\r\n`;
      for (;;) {
        const { rows } = (await trx.raw(`fetch forward ${chunkRows} from credit_export`)) as { rows: CsvRow[] };
        if (rows.length) yield rows.map(csvLine).join('');
        if (rows.length < chunkRows) break;
      }
    } finally {
      // read-only: ending it either way releases the cursor and the connection
      await trx.commit().catch(() => undefined);
    }
  }
  return chunks();
}
