import type { Db } from './table';
import { OperatorKind, OperatorStatus, type Grade, type InspectionOutcome } from '../entities/enums';
import type { CreditState, GradeCount, OperatorCard, RecordedHead } from '../credit/credit.model';
import type { Operator, PublicOperator } from '../registry/operator.model';
import { isoTime } from './credit-event.table';
import { toDate } from './sql-time';
import { defineTable } from './table';

export interface OperatorRow {
  id: number;
  kind: OperatorKind;
  name: string;
  credit_code: string | null;
  registration_card_no: string | null;
  village: string | null;
  address: string | null;
  contact_person: string | null;
  contact_phone: string | null;
  status: OperatorStatus;
  public_code: string;
  credit_score: number;
  credit_grade: Grade;
  forced_d_until: Date | null;
  created_at: Date;
  credit_chain_seq: number;
  credit_chain_head: string | null;
}

export const operatorTable = defineTable<OperatorRow>('operator', {
  id: 'int4',
  kind: 'text',
  name: 'varchar',
  credit_code: 'varchar',
  registration_card_no: 'varchar',
  village: 'varchar',
  address: 'varchar',
  contact_person: 'varchar',
  contact_phone: 'varchar',
  status: 'text',
  public_code: 'varchar',
  credit_score: 'int4',
  credit_grade: 'bpchar',
  forced_d_until: 'timestamptz',
  created_at: 'timestamptz',
  credit_chain_seq: 'int4',
  credit_chain_head: 'bpchar',
});

/** The columns the public view is made of; no contact data among them. */
export type PublicOperatorRow = Pick<OperatorRow, 'id' | 'kind' | 'name' | 'credit_code' | 'registration_card_no' | 'village' | 'status' | 'credit_grade' | 'public_code'>;

export const PUBLIC_OPERATOR_COLUMNS = 'id, kind, name, credit_code, registration_card_no, village, status, credit_grade, public_code';

/** The one mapping to the public view of an operator. */
export function toPublicOperator(r: PublicOperatorRow): PublicOperator {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    registrationNumber: r.credit_code ?? r.registration_card_no,
    village: r.village,
    status: r.status,
    grade: r.credit_grade,
    publicCode: r.public_code,
  };
}

export function toOperator(r: OperatorRow): Operator {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    creditCode: r.credit_code,
    registrationCardNo: r.registration_card_no,
    village: r.village,
    address: r.address,
    contactPerson: r.contact_person,
    contactPhone: r.contact_phone,
    status: r.status,
    publicCode: r.public_code,
    createdAt: new Date(r.created_at),
    credit: { operatorId: r.id, score: r.credit_score, grade: r.credit_grade, forcedUntil: r.forced_d_until && new Date(r.forced_d_until) },
  };
}

export function operatorById(ctx: Db, id: number): Promise<OperatorRow | null> {
  return operatorTable.byId(ctx, id);
}

export function operatorsByIds(ctx: Db, ids: readonly number[]): Promise<OperatorRow[]> {
  return operatorTable.byIds(ctx, ids);
}

/** The operator's status, null when there is no such operator. */
export async function operatorStatus(ctx: Db, id: number): Promise<OperatorStatus | null> {
  const [row] = await ctx.em.execute<Pick<OperatorRow, 'status'>[]>('select status from operator where id = ?', [id]);
  return row?.status ?? null;
}

/** The columns of the public view (a producer on a gate answer or a trace), null when there is no such operator. */
export async function publicOperatorById(ctx: Db, id: number): Promise<PublicOperatorRow | null> {
  const [row] = await ctx.em.execute<PublicOperatorRow[]>(`select ${PUBLIC_OPERATOR_COLUMNS} from operator where id = ?`, [id]);
  return row ?? null;
}

export async function creditCodeTaken(ctx: Db, creditCode: string): Promise<boolean> {
  const rows = await ctx.em.execute<{ id: number }[]>('select id from operator where credit_code = ? limit 1', [creditCode]);
  return rows.length > 0;
}

/** The next serial of the town registration cards. */
export async function nextRegistrationCardSerial(ctx: Db): Promise<number> {
  const [{ n }] = await ctx.em.execute<{ n: string }[]>(`select nextval('registration_card_seq') as n`);
  return Number(n);
}

export type NewOperator = Pick<
  OperatorRow,
  'kind' | 'name' | 'credit_code' | 'registration_card_no' | 'village' | 'address' | 'contact_person' | 'contact_phone' | 'public_code' | 'created_at'
>;

export async function insertOperator(ctx: Db, o: NewOperator): Promise<OperatorRow> {
  const [row] = await ctx.em.execute<OperatorRow[]>(
    `insert into operator (kind, name, credit_code, registration_card_no, village, address, contact_person, contact_phone, public_code, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning ${operatorTable.list}`,
    [o.kind, o.name, o.credit_code, o.registration_card_no, o.village, o.address, o.contact_person, o.contact_phone, o.public_code, o.created_at],
  );
  return row;
}

export async function updateOperatorStatus(ctx: Db, id: number, status: OperatorStatus): Promise<OperatorRow | null> {
  const [row] = await ctx.em.execute<OperatorRow[]>(`update operator set status = ? where id = ? returning ${operatorTable.list}`, [status, id]);
  return row ?? null;
}

export interface OperatorFilterRow {
  kind?: OperatorKind | null;
  status?: OperatorStatus | null;
  grade?: Grade | null;
  village?: string | null;
  nameContains?: string | null;
}

/** Operators matching every given filter, by id after `afterId`; `limit` rows at most. */
export async function listOperatorRows(ctx: Db, filter: OperatorFilterRow, afterId: number | null, limit: number): Promise<OperatorRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    where.push(sql);
    params.push(value);
  };
  if (filter.kind) add('kind = ?', filter.kind);
  if (filter.status) add('status = ?', filter.status);
  if (filter.grade) add('credit_grade = ?', filter.grade);
  if (filter.village) add('village = ?', filter.village);
  if (filter.nameContains) add(`name ilike ?`, `%${filter.nameContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (afterId !== null) add('id > ?', afterId);
  params.push(limit);
  return ctx.em.execute<OperatorRow[]>(
    `select ${operatorTable.list} from operator ${where.length ? `where ${where.join(' and ')}` : ''} order by id asc limit ?`,
    params,
  );
}

/**
 * Operators a field inspector may find: the one holding `code` (a registration card's public code or number), or
 * those whose name contains `nameContains` (either matching; neither given: all); within `village` when given (a village
 * assistant's). By name.
 */
export async function operatorsToInspectRows(ctx: Db, f: { code: string | null; nameContains: string | null; village: string | null }, limit: number): Promise<PublicOperatorRow[]> {
  const like = f.nameContains === null ? null : `%${f.nameContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return ctx.em.execute<PublicOperatorRow[]>(
    `select ${PUBLIC_OPERATOR_COLUMNS} from operator
      where ((?::text is null and ?::text is null) or public_code = ? or credit_code = ? or registration_card_no = ? or name ilike ?)
        and (?::text is null or village = ?)
      order by name asc, id asc limit ?`,
    [f.code, like, f.code, f.code, f.code, like, f.village, f.village, limit],
  );
}

/** Vendors a gate may hand a load to: active market vendors, by name (at most 1000). */
export async function activeMarketVendors(ctx: Db): Promise<PublicOperatorRow[]> {
  return ctx.em.execute<PublicOperatorRow[]>(
    `select ${PUBLIC_OPERATOR_COLUMNS} from operator where kind = ? and status = ? order by name asc, id asc limit 1000`,
    [OperatorKind.MARKET_VENDOR, OperatorStatus.ACTIVE],
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The credit columns (stored score, grade, forced D, chain head): only the credit ledger writes them.

/**
 * Locks the operator row against other credit writers; false for an unknown operator. No key update: serialises
 * appenders without waiting for rows that merely reference the operator (FK key-share locks).
 */
export async function lockOperatorCredit(ctx: Db, operatorId: number): Promise<boolean> {
  const locked = await ctx.em.execute<{ id: number }[]>('select id from operator where id = ? for no key update', [operatorId]);
  return locked.length > 0;
}

export async function operatorExists(ctx: Db, operatorId: number): Promise<boolean> {
  const [op] = await ctx.em.execute<{ id: number }[]>('select id from operator where id = ?', [operatorId]);
  return !!op;
}

/** The stored credit, with the operator row locked as `lockOperatorCredit` locks it. */
export async function lockedStoredCredit(ctx: Db, operatorId: number): Promise<CreditState> {
  const [stored] = await ctx.em.execute<{ credit_score: number; credit_grade: Grade; forced_d_until: Date | string | null }[]>(
    'select credit_score, credit_grade, forced_d_until from operator where id = ? for no key update',
    [operatorId],
  );
  return { score: stored.credit_score, grade: stored.credit_grade, forcedUntil: toDate(stored.forced_d_until) };
}

export async function storeCredit(ctx: Db, operatorId: number, state: CreditState): Promise<void> {
  await ctx.em.execute('update operator set credit_score = ?, credit_grade = ?, forced_d_until = ? where id = ?', [
    state.score, state.grade, isoTime(state.forcedUntil), operatorId,
  ]);
}

/** The chain head each operator recorded (operators with none, from a bulk import, are left out); one or all. */
export async function recordedChainHeads(ctx: Db, operatorId: number | null): Promise<Map<number, { seq: number; hash: string }>> {
  const rows = await ctx.em.execute<{ id: number; credit_chain_seq: number; credit_chain_head: string }[]>(
    `select id, credit_chain_seq, credit_chain_head from operator where credit_chain_seq > 0 ${operatorId === null ? '' : 'and id = ?'}`,
    operatorId === null ? [] : [operatorId],
  );
  return new Map(rows.map((h) => [h.id, { seq: h.credit_chain_seq, hash: h.credit_chain_head }]));
}

/** What verification compares with the events: each operator's recorded chain head and stored credit; one or all, in id order. */
export async function recordedHeadsAndCredit(ctx: Db, operatorId: number | null): Promise<RecordedHead[]> {
  const rows = await ctx.em.execute<{ id: number; credit_chain_seq: number; credit_chain_head: string | null; credit_score: number; credit_grade: Grade; forced_d_until: Date | string | null }[]>(
    `select id, credit_chain_seq, credit_chain_head, credit_score, credit_grade, forced_d_until from operator ${operatorId === null ? '' : 'where id = ?'} order by id`,
    operatorId === null ? [] : [operatorId],
  );
  return rows.map((r) => ({
    operatorId: r.id, seq: r.credit_chain_seq, hash: r.credit_chain_head, score: r.credit_score, grade: r.credit_grade, forcedUntil: toDate(r.forced_d_until),
  }));
}

/** The heads a checkpoint signs: every operator with a recorded head, in id order. */
export async function chainHeadsForCheckpoint(ctx: Db): Promise<{ operatorId: number; seq: number; hash: string }[]> {
  const rows = await ctx.em.execute<{ id: number; credit_chain_seq: number; credit_chain_head: string }[]>(
    'select id, credit_chain_seq, credit_chain_head from operator where credit_chain_seq > 0 order by id',
  );
  return rows.map((r) => ({ operatorId: r.id, seq: r.credit_chain_seq, hash: r.credit_chain_head }));
}

/**
 * Operators not revoked and registered before `end`, with their stored credit and their latest event of one of
 * `inspectionRules` before `start`.
 */
export async function inspectionCandidates(
  ctx: Db, inspectionRules: readonly string[], start: Date, end: Date,
): Promise<{ operatorId: number; grade: Grade; score: number; forcedUntil: Date | null; lastInspectedAt: Date | null }[]> {
  const rows = await ctx.em.execute<{ id: number; credit_grade: Grade; credit_score: number; forced_d_until: Date | string | null; last_inspected_at: Date | string | null }[]>(
    `select o.id, o.credit_grade, o.credit_score, o.forced_d_until,
            (select max(e.occurred_at) from credit_event e
              where e.operator_id = o.id and e.rule_code = any(?::text[]) and e.occurred_at < ?) as last_inspected_at
       from operator o
      where o.status <> ? and o.created_at < ?`,
    [`{${inspectionRules.join(',')}}`, start, OperatorStatus.REVOKED, end],
  );
  return rows.map((r) => ({
    operatorId: r.id, grade: r.credit_grade, score: r.credit_score, forcedUntil: toDate(r.forced_d_until), lastInspectedAt: toDate(r.last_inspected_at),
  }));
}

/** Operators and active operators per stored grade, for the grades someone holds; one grouped statement. */
export async function gradeCountRows(ctx: Db): Promise<GradeCount[]> {
  return ctx.em.execute<GradeCount[]>(
    `select credit_grade as grade, count(*)::int as operators, (count(*) filter (where status = ?))::int as active
       from operator group by credit_grade`,
    [OperatorStatus.ACTIVE],
  );
}

/**
 * The public card of the operator holding `code`, with its standing deductions of the 12 months to `now` and the date
 * and outcome of its latest field inspections (at most `inspections`); one statement.
 */
export async function operatorCardRow(ctx: Db, code: string, now: Date, inspections = 3): Promise<OperatorCard | null> {
  const rows = await ctx.em.execute<
    {
      public_code: string; kind: string; name: string; registration_number: string | null; village: string | null; status: string; grade: string; violations: string;
      latest: { inspected_at: string; outcome: InspectionOutcome }[];
    }[]
  >(
    `select o.public_code, o.kind, o.name, coalesce(o.credit_code, o.registration_card_no) as registration_number,
            o.village, o.status, o.credit_grade as grade,
            (select count(*) from credit_event e
              where e.operator_id = o.id and e.points < 0
                and e.occurred_at > ?::timestamptz - interval '12 months' and e.occurred_at <= ?::timestamptz
                and not exists (select 1 from credit_event r where r.reverses_id = e.id)) as violations,
            (select coalesce(jsonb_agg(jsonb_build_object('inspected_at', i.inspected_at, 'outcome', i.outcome) order by i.inspected_at desc, i.id desc), '[]'::jsonb)
               from (select inspected_at, outcome, id from field_inspection where operator_id = o.id order by inspected_at desc, id desc limit ?) i) as latest
       from operator o where o.public_code = ?`,
    [now, now, inspections, code],
  );
  if (!rows.length) return null;
  const r = rows[0];
  return {
    publicCode: r.public_code,
    kind: r.kind,
    name: r.name,
    registrationNumber: r.registration_number,
    village: r.village,
    status: r.status,
    grade: r.grade.trim(),
    recentViolations: Number(r.violations),
    latestInspections: r.latest.map((l) => ({ inspectedAt: toDate(l.inspected_at), outcome: l.outcome })),
  };
}

/** The operators with these public codes: id, code and (public) name. */
export async function operatorsByPublicCodes(ctx: Db, codes: string[]): Promise<Pick<OperatorRow, 'id' | 'public_code' | 'name'>[]> {
  if (!codes.length) return [];
  return ctx.em.execute<Pick<OperatorRow, 'id' | 'public_code' | 'name'>[]>('select id, public_code, name from operator where public_code = any(?::text[])', [`{${codes.join(',')}}`]);
}

/** The id of the operator registered under this credit code, if any. */
export async function operatorIdByCreditCode(ctx: Db, creditCode: string): Promise<number | null> {
  const [row] = await ctx.em.execute<Pick<OperatorRow, 'id'>[]>('select id from operator where credit_code = ?', [creditCode]);
  return row?.id ?? null;
}

/** The id of the operator holding this town registration-card number, if any. */
export async function operatorIdByRegistrationCard(ctx: Db, cardNo: string): Promise<number | null> {
  const [row] = await ctx.em.execute<Pick<OperatorRow, 'id'>[]>('select id from operator where registration_card_no = ?', [cardNo]);
  return row?.id ?? null;
}

/** When each operator was registered (the desk counts an operator's grade from then on). */
export async function operatorsRegisteredBefore(ctx: Db, until: Date): Promise<{ id: number; registeredAt: Date }[]> {
  const rows = await ctx.em.execute<{ id: number; created_at: Date | string }[]>('select id, created_at from operator where created_at < ? order by id', [until]);
  return rows.map((r) => ({ id: r.id, registeredAt: toDate(r.created_at)! }));
}
