import { GRADE_SUPERVISION } from '../credit/rules';
import { Grade } from '../entities/enums';
import { reportWindows } from '../incident/incident.rules';
import { toDate } from '../tables/sql-time';
import type { Db } from '../tables/table';
import type { EvidenceModel, ScorecardScope } from './assessment.model';
import type { IndicatorCode } from './indicators';

/** A statement and its parameters, put together from parts. */
interface Sql {
  text: string;
  params: unknown[];
}

const sql = (text: string, ...params: unknown[]): Sql => ({ text, params });
const TRUE = sql('true');

/** The operators a scorecard is about: a village's (or the town's) registered operators, the canteen, or the vendors who sold at the market in the year. */
function scopeOperators(s: ScorecardScope): Sql {
  switch (s.kind) {
    case 'CANTEEN':
      return sql(`select id from operator where id = ?`, s.unitId);
    case 'MARKET':
      return sql(`select distinct vendor_id from market_entry where market_id = ? and created_at >= ? and created_at < ?`, s.unitId, s.start, s.end);
    default:
      return sql(
        `select id from operator where kind <> 'RURAL_CHEF' and status <> 'REVOKED' and created_at < ?${s.kind === 'VILLAGE' ? ' and village = ?' : ''}`,
        s.end, ...(s.kind === 'VILLAGE' ? [s.village] : []),
      );
  }
}

/** A record of the area: its `village` column for a village, its operator for a unit, everything for the town. */
function inArea(s: ScorecardScope, villageColumn: string, operatorColumn: string): Sql {
  if (s.kind === 'TOWN') return TRUE;
  if (s.kind === 'VILLAGE') return sql(`${villageColumn} = ?`, s.village);
  const ops = scopeOperators(s);
  return sql(`${operatorColumn} in (${ops.text})`, ...ops.params);
}

/** A lot's or a gate's record: a village's producers' lots, the market's own gates, or everything for the town. */
function atGates(s: ScorecardScope, ownerColumn: string, marketColumn: string): Sql {
  if (s.kind === 'TOWN') return TRUE;
  if (s.kind === 'MARKET') return sql(`${marketColumn} = ?`, s.unitId);
  return sql(`${ownerColumn} in (select id from operator where village = ?)`, s.village);
}

/** Field inspections each grade asks for in a year, as SQL over `operator.credit_grade`. */
const REQUIRED_INSPECTIONS = `case o.credit_grade ${Object.values(Grade).map((g) => `when '${g}' then ${GRADE_SUPERVISION[g].inspectionsPerYear}`).join(' ')} end`;

/**
 * Each indicator's records: `kind, id, at, counted, label, village`. The scorecard counts them, the drill-down pages
 * through them, so every number on a scorecard is exactly the records it lists. `village` is the village whose
 * scorecard a record counts for (the record's own, its operator's, or its lot owner's; null for a town-wide training,
 * which counts for every village): the town's records grouped by it are every village's at once.
 */
const EVIDENCE: Record<IndicatorCode, (s: ScorecardScope) => Sql> = {
  REGISTRATION_COVERAGE: (s) => {
    const ops = scopeOperators(s);
    const village = s.kind === 'VILLAGE' ? sql(' and h.village = ?', s.village) : sql('');
    return sql(
      `select 'OPERATOR' as kind, o.id, o.created_at as at, true as counted, o.name as label, o.village from operator o where o.id in (${ops.text})
       union all
       select 'HAZARD_SITE', h.id, h.created_at, false, h.location, h.village from hazard_site h
        where h.created_at < ? and (h.status = 'OPEN' or h.resolved_at >= ?)${village.text}`,
      ...ops.params, s.end, s.end, ...village.params,
    );
  },
  INSPECTION_PLAN: (s) => {
    const ops = scopeOperators(s);
    return sql(
      `select 'OPERATOR' as kind, o.id, null::timestamptz as at,
              (select count(*) from field_inspection fi where fi.operator_id = o.id and fi.inspected_at >= ? and fi.inspected_at < ?) >= ${REQUIRED_INSPECTIONS} as counted,
              o.name as label, o.village
         from operator o where o.id in (${ops.text})`,
      s.start, s.end, ...ops.params,
    );
  },
  RECTIFICATION_ON_TIME: (s) => {
    const area = inArea(s, 'r.village', 'r.operator_id');
    return sql(
      `select 'RECTIFICATION_ORDER' as kind, r.id, r.deadline as at, (r.status = 'CLOSED' and r.rechecked_at <= r.deadline) as counted, null::text as label, r.village
         from rectification_order r
        where r.deadline >= ? and r.deadline < ? and (r.deadline <= ? or r.status <> 'OPEN') and ${area.text}`,
      s.start, s.end, s.asOf, ...area.params,
    );
  },
  INCIDENT_REPORTED: (s) => {
    const area = inArea(s, 'i.village', 'i.operator_id');
    return sql(
      `select 'INCIDENT' as kind, i.id, i.reported_at as at,
              i.reported_at - i.occurred_at <= make_interval(hours => coalesce((?::jsonb ->> i.kind)::int, 0)) as counted, i.kind as label, i.village
         from incident i where not i.drill and i.reported_at >= ? and i.reported_at < ? and ${area.text}`,
      JSON.stringify(reportWindows()), s.start, s.end, ...area.params,
    );
  },
  INCIDENT_HANDLED_ON_TIME: (s) => {
    const area = inArea(s, 'i.village', 'i.operator_id');
    return sql(
      `select 'INCIDENT' as kind, i.id, i.handle_due_at as at, (i.handled_at is not null and i.handled_at <= i.handle_due_at) as counted, i.kind as label, i.village
         from incident i
        where not i.drill and i.reported_at >= ? and i.reported_at < ? and (i.handled_at is not null or i.handle_due_at <= ?) and ${area.text}`,
      s.start, s.end, s.asOf, ...area.params,
    );
  },
  BANQUET_GUIDED: (s) => {
    const area = inArea(s, 'b.village', 'null');
    return sql(
      `select 'BANQUET' as kind, b.id, b.guided_at as at, b.guided_at is not null as counted, b.number as label, b.village
         from banquet b
        where b.tier <> 'HOST_FILES' and b.held_on >= ?::date and b.held_on < ?::date and (b.held_on <= ?::date or b.guided_at is not null) and ${area.text}`,
      s.startDate, s.endDate, s.asOfDate, ...area.params,
    );
  },
  TRAININGS_HELD: (s) => {
    const village = s.kind === 'VILLAGE' ? sql(' and (t.village = ? or t.village is null)', s.village) : sql('');
    return sql(
      `select 'TRAINING' as kind, t.id, t.created_at as at, true as counted, t.topic as label, t.village
         from training t where t.held_on >= ?::date and t.held_on < ?::date${village.text}`,
      s.startDate, s.endDate, ...village.params,
    );
  },
  TRAINING_ATTENDANCE: (s) => {
    const ops = scopeOperators(s);
    return sql(
      `select 'OPERATOR' as kind, o.id, null::timestamptz as at,
              exists (select 1 from training_attendee a join training t on t.id = a.training_id
                       where a.operator_id = o.id and t.held_on >= ?::date and t.held_on < ?::date) as counted,
              o.name as label, o.village
         from operator o where o.id in (${ops.text})`,
      s.startDate, s.endDate, ...ops.params,
    );
  },
  GATE_TEST_PASS: (s) => {
    const area = atGates(s, 'b.owner_id', 'i.market_id');
    return sql(
      `select 'TEST' as kind, i.id, i.inspected_at as at, i.result = 'PASS' as counted, b.product_name as label, ov.village
         from inspection i join batch b on b.id = i.batch_id left join operator ov on ov.id = b.owner_id
        where i.inspected_at >= ? and i.inspected_at < ? and ${area.text}`,
      s.start, s.end, ...area.params,
    );
  },
  GATE_CERTIFICATE_COVERAGE: (s) => {
    const area = atGates(s, 'b.owner_id', 'e.market_id');
    return sql(
      `select 'MARKET_ENTRY' as kind, e.id, e.created_at as at, e.certificate_id is not null as counted, b.product_name as label, ov.village
         from market_entry e left join batch b on b.id = e.batch_id left join operator ov on ov.id = b.owner_id
        where e.created_at >= ? and e.created_at < ? and ${area.text}`,
      s.start, s.end, ...area.params,
    );
  },
  RECALL_CLOSED: (s) => {
    const area = atGates(s, 'b.owner_id', 'null');
    return sql(
      `select 'RECALL' as kind, r.id, r.created_at as at, exists (select 1 from recall_closure c where c.recall_id = r.id) as counted, b.product_name as label, ov.village
         from recall r join batch b on b.id = r.batch_id left join operator ov on ov.id = b.owner_id
        where r.created_at >= ? and r.created_at < ? and ${area.text}`,
      s.start, s.end, ...area.params,
    );
  },
};

/**
 * How many records each listed indicator has for one scope, and how many of them count: one statement, the
 * indicators' queries side by side, so a report of many scorecards costs one round trip each.
 */
export async function scorecardCounts(ctx: Db, codes: readonly IndicatorCode[], scope: ScorecardScope): Promise<Map<IndicatorCode, { counted: number; total: number }>> {
  if (!codes.length) return new Map();
  const parts = codes.map((code) => ({ code, q: EVIDENCE[code](scope) }));
  const rows = await ctx.em.execute<{ code: IndicatorCode; counted: number; total: number }[]>(
    parts.map((p) => `select ?::text as code, (count(*) filter (where e.counted))::int as counted, count(*)::int as total from (${p.q.text}) e`).join('\nunion all\n'),
    parts.flatMap((p) => [p.code, ...p.q.params]),
  );
  return new Map(rows.map((r) => [r.code, { counted: r.counted, total: r.total }]));
}

/** Indicators whose records without a village (town-wide trainings) count on every village's scorecard. */
const TOWN_WIDE_RECORDS_COUNT_FOR_EVERY_VILLAGE: ReadonlySet<IndicatorCode> = new Set(['TRAININGS_HELD']);

/**
 * `scorecardCounts` for each of `villages` at once, from the town's records grouped by their village: one statement
 * for the whole town instead of one a village. `town` is the town's scope for the same year.
 */
export async function villageScorecardCounts(
  ctx: Db, codes: readonly IndicatorCode[], town: ScorecardScope, villages: readonly string[],
): Promise<Map<string, Map<IndicatorCode, { counted: number; total: number }>>> {
  if (town.kind !== 'TOWN') throw new Error("villageScorecardCounts groups the town's records");
  const out = new Map(villages.map((v) => [v, new Map(codes.map((code) => [code, { counted: 0, total: 0 }]))]));
  if (!codes.length || !villages.length) return out;
  const parts = codes.map((code) => ({ code, q: EVIDENCE[code](town) }));
  const rows = await ctx.em.execute<{ code: IndicatorCode; village: string | null; counted: number; total: number }[]>(
    parts.map((p) => `select ?::text as code, e.village, (count(*) filter (where e.counted))::int as counted, count(*)::int as total from (${p.q.text}) e group by e.village`).join('\nunion all\n'),
    parts.flatMap((p) => [p.code, ...p.q.params]),
  );
  for (const row of rows) {
    const into = row.village === null ? (TOWN_WIDE_RECORDS_COUNT_FOR_EVERY_VILLAGE.has(row.code) ? villages : []) : out.has(row.village) ? [row.village] : [];
    for (const village of into) {
      const c = out.get(village)!.get(row.code)!;
      c.counted += row.counted;
      c.total += row.total;
    }
  }
  return out;
}

/** The indicator's records in (kind, id) order after the keyset `after`. */
export async function indicatorEvidence(ctx: Db, code: IndicatorCode, scope: ScorecardScope, after: { kind: string; id: number } | null, limit: number): Promise<EvidenceModel[]> {
  const q = EVIDENCE[code](scope);
  const rows = await ctx.em.execute<(Omit<EvidenceModel, 'at'> & { at: Date | string | null })[]>(
    `select e.kind, e.id, e.at, e.counted, e.label from (${q.text}) e
      where (?::text is null or (e.kind, e.id) > (?::text, ?::int)) order by e.kind, e.id limit ?`,
    [...q.params, after?.kind ?? null, after?.kind ?? null, after?.id ?? null, limit],
  );
  return rows.map((r) => ({ ...r, at: toDate(r.at) }));
}

/** Villages with registered operators, markets or banquets: the villages a town report lists. */
export async function knownVillages(ctx: Db): Promise<string[]> {
  const rows = await ctx.em.execute<{ village: string }[]>(
    `select village from operator where village is not null and kind <> 'RURAL_CHEF' union select village from banquet order by village`,
  );
  return rows.map((r) => r.village);
}
