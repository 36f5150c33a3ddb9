import { assertActsFor } from '../auth/access';
import DataLoader from 'dataloader';
import type { Context, Db } from '../context';
import { Grade, OperatorKind } from '../entities/enums';
import { badInput } from '../errors';
import { decodeCursor, encodeCursor, type Page } from '../registry/pagination';
import {
  archiveInChunks, archivePageEvents, archivePageStatement, archiveWhere, eventsById as eventRowsById, operatorEventsBatch, operatorsMatching,
  type ArchiveKeyset, type Conditions,
} from '../tables/credit-event.table';
import * as v from '../validation';
import type { ArchiveCriteria, ArchiveEventRow, CreditEventData } from './credit.model';
import { ruleFor } from './rules';

/** Loads events by id, in key order, null for a missing key. */
export function eventsById(ctx: Db, ids: readonly number[]): Promise<(CreditEventData | null)[]> {
  return eventRowsById(ctx, ids);
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
        const groups = await operatorEventsBatch(ctx, keys);
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

/** A page of one operator's events, newest first; cursors are chain positions. Regulators, admins and the operator itself. */
export function operatorEvents(ctx: Context, operatorId: number, first: number, after: string | null | undefined): Promise<Page<CreditEventData>> {
  assertActsFor(ctx.viewer, operatorId);
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

/**
 * The archive filter, checked: each criterion or null. Errors name the field under `field` (`filter.grade`).
 */
export function archiveCriteria(filter: ArchiveFilterData, field = 'filter'): ArchiveCriteria {
  if (filter.grade != null && !Object.values(Grade).includes(filter.grade)) {
    throw badInput(`${field}.grade`, `must be one of ${Object.values(Grade).join(', ')}`);
  }
  if (filter.kind != null && !Object.values(OperatorKind).includes(filter.kind)) {
    throw badInput(`${field}.kind`, `must be one of ${Object.values(OperatorKind).join(', ')}`);
  }
  const village = v.text(`${field}.village`, filter.village, 100, { optional: true });
  const score = (name: 'scoreMin' | 'scoreMax') => {
    const value = filter[name];
    if (value == null) return null;
    if (!Number.isInteger(value) || value < 0 || value > 100) throw badInput(`${field}.${name}`, 'must be an integer from 0 to 100');
    return value;
  };
  const scoreMin = score('scoreMin');
  const scoreMax = score('scoreMax');
  if (scoreMin !== null && scoreMax !== null && scoreMin > scoreMax) throw badInput(`${field}.scoreMax`, 'must not be below scoreMin');
  if (filter.rule != null && !ruleFor(filter.rule)) throw badInput(`${field}.rule`, `unknown rule ${filter.rule}`);
  const date = (name: 'from' | 'to') => {
    const value = filter[name];
    if (value == null) return null;
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw badInput(`${field}.${name}`, 'must be a valid date');
    return value;
  };
  const from = date('from');
  const to = date('to');
  if (from && to && from.getTime() >= to.getTime()) throw badInput(`${field}.to`, 'must be after from');
  return {
    grade: filter.grade ?? null,
    kind: filter.kind ?? null,
    village: village || null,
    scoreMin,
    scoreMax,
    rule: filter.rule ?? null,
    from,
    to,
    operatorId: filter.operatorId != null ? v.id(`${field}.operatorId`, filter.operatorId) : null,
  };
}

/** Archive cursor: the event's time in epoch microseconds and its id, exact at PostgreSQL's precision. */
export function encodeArchiveCursor(micros: string, id: number): string {
  return Buffer.from(`a:${micros}:${id}`, 'utf8').toString('base64url');
}

/** The keyset an archive cursor names; null for none. */
export function decodeArchiveCursor(field: string, cursor: string | null | undefined): ArchiveKeyset | null {
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

/** SQL of one archive page; exported so its plan can be examined (see `archivePageStatement`). */
export function archivePageSql(filter: ArchiveFilterData, first: number, after: string | null | undefined, operatorIds: number[] | null = null): Conditions {
  return archivePageStatement(archiveCriteria(filter), first, decodeArchiveCursor('after', after), operatorIds);
}

/** The filtered archive, newest first, by keyset on (occurred_at, id): page 1,000 costs what page 1 costs. */
export async function creditArchive(ctx: Db, filter: ArchiveFilterData, first: number, after: string | null | undefined): Promise<ArchivePage> {
  const criteria = archiveCriteria(filter);
  const keyset = decodeArchiveCursor('after', after);
  let operatorIds: number[] | null = null;
  const where = archiveWhere(criteria);
  if (where.operator) {
    // a selective operator filter (a village, a grade few hold) would otherwise walk most of the archive to fill a page
    const matched = await operatorsMatching(ctx, where.operator, ARCHIVE_PER_OPERATOR_MAX + 1);
    if (!matched.length) return { edges: [], hasNextPage: false, endCursor: null };
    if (matched.length <= ARCHIVE_PER_OPERATOR_MAX) operatorIds = matched;
  }
  const rows = await archivePageEvents(ctx, criteria, first, keyset, operatorIds);
  const edges = rows.slice(0, first).map((r) => ({ cursor: encodeArchiveCursor(r.micros, r.event.id), node: r.event }));
  return { edges, hasNextPage: rows.length > first, endCursor: edges.length ? edges[edges.length - 1].cursor : null };
}

export const CSV_COLUMNS = [
  'event_id', 'occurred_at', 'operator_id', 'operator_name', 'operator_kind', 'village', 'grade', 'score', 'seq', 'rule_code', 'points',
  'reason', 'source', 'source_ref', 'recorded_by_id', 'expires_at', 'forces_d_until', 'reverses_id', 'reversed_by_id', 'hash',
] as const;

/** A CSV cell; free text that a spreadsheet would run as a formula is prefixed with an apostrophe. */
export function csvCell(value: unknown, freeText = false): string {
  if (value === null || value === undefined) return '';
  let s = value instanceof Date ? value.toISOString() : String(value);
  if (freeText && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvLine({ event: e, operatorName, operatorKind, village, grade, score }: ArchiveEventRow): string {
  return [
    csvCell(e.id), csvCell(e.occurredAt), csvCell(e.operatorId), csvCell(operatorName, true), csvCell(operatorKind), csvCell(village, true),
    csvCell(grade), csvCell(score), csvCell(e.seq), csvCell(e.ruleCode), csvCell(e.points), csvCell(e.reason, true), csvCell(e.source),
    csvCell(e.sourceRef, true), csvCell(e.recordedById), csvCell(e.expiresAt), csvCell(e.forcesDUntil), csvCell(e.reversesId),
    csvCell(e.reversedById), csvCell(e.hash),
  ].join(',') + '\r\n';
}

/**
 * The filtered archive as CSV chunks, oldest first, read through a server-side cursor in one read-only snapshot:
 * at most `chunkRows` rows are in memory at a time, however large the archive. The filter is validated before
 * anything is returned, so a bad one fails the request instead of a half-written file.
 */
export function creditArchiveCsv(ctx: Db, filter: ArchiveFilterData, chunkRows = 2000): AsyncGenerator<string> {
  const criteria = archiveCriteria(filter);
  async function* chunks(): AsyncGenerator<string> {
    const rows = archiveInChunks(ctx, criteria, chunkRows);
    try {
      // the cursor is open and its first rows read before the header, so a failing query sends no bytes
      let next = await rows.next();
      // the byte-order mark makes spreadsheet programs read the Chinese text as UTF-8
      yield `\uFEFF${CSV_COLUMNS.join(',')}\r\n`;
      while (!next.done) {
        if (next.value.length) yield next.value.map(csvLine).join('');
        next = await rows.next();
      }
    } finally {
      await rows.return(undefined);
    }
  }
  return chunks();
}
