import type { Db } from '../tables/table';
import type { WorkLedgerRow } from './assessment.model';

/**
 * Every work item recorded in [from, to), in time order: field inspections, rectification orders issued and
 * re-checked, incidents reported, banquets guided, trainings held, gate tests, plan progress reports.
 */
export async function workLedgerRows(ctx: Db, from: Date, to: Date, fromDate: string, toDate: string, timeZone: string, limit: number): Promise<WorkLedgerRow[]> {
  return ctx.em.execute<WorkLedgerRow[]>(
    `select * from (
       select fi.inspected_at as at, 'INSPECTION' as kind, fi.id, fi.village, o.name as subject, fi.outcome as result, a.name as "recordedBy"
         from field_inspection fi join operator o on o.id = fi.operator_id left join account a on a.id = fi.inspector_id
        where fi.inspected_at >= ? and fi.inspected_at < ?
       union all
       select r.created_at, 'RECTIFICATION_ORDER', r.id, r.village, o.name, 'deadline ' || to_char(r.deadline at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"'), null
         from rectification_order r join operator o on o.id = r.operator_id
        where r.created_at >= ? and r.created_at < ?
       union all
       select r.rechecked_at, 'RECHECK', r.id, r.village, o.name, r.status, a.name
         from rectification_order r join operator o on o.id = r.operator_id left join account a on a.id = r.rechecked_by_id
        where r.rechecked_at >= ? and r.rechecked_at < ?
       union all
       select i.reported_at, case when i.drill then 'DRILL' else 'INCIDENT' end, i.id, i.village, i.kind, i.status, coalesce(a.name, i.reporter_name)
         from incident i left join account a on a.id = i.reported_by_id
        where i.reported_at >= ? and i.reported_at < ?
       union all
       select b.guided_at, 'BANQUET_GUIDANCE', b.id, b.village, b.number || ' ' || b.kind || ' ' || b.guests || ' guests', b.tier, a.name
         from banquet b left join account a on a.id = b.guided_by_id
        where b.guided_at >= ? and b.guided_at < ?
       union all
       select t.held_on::timestamp at time zone ?, 'TRAINING', t.id, t.village, t.topic || ' (' || t.held_on || ', ' || t.trainer || ')',
              (select count(*) from training_attendee ta where ta.training_id = t.id) || ' attendees', a.name
         from training t left join account a on a.id = t.recorded_by_id
        where t.held_on >= ?::date and t.held_on < ?::date
       union all
       select x.inspected_at, 'GATE_TEST', x.id, m.village, coalesce(m.name, '') || ': ' || b.product_name || ' ' || b.lot_code, x.kind || ' ' || x.result, x.tester
         from inspection x join batch b on b.id = x.batch_id left join market m on m.id = x.market_id
        where x.inspected_at >= ? and x.inspected_at < ?
       union all
       select p.recorded_at, 'PLAN_PROGRESS', p.id, null, pi.title, p.progress || '% ' || p.status, a.name
         from plan_progress p join plan_item pi on pi.id = p.plan_item_id left join account a on a.id = p.recorded_by_id
        where p.recorded_at >= ? and p.recorded_at < ?
     ) w order by w.at, w.kind, w.id limit ?`,
    [from, to, from, to, from, to, from, to, from, to, timeZone, fromDate, toDate, from, to, from, to, limit],
  );
}
