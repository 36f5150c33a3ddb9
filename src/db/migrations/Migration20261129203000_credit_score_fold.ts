import { Migration } from '@mikro-orm/migrations';

/**
 * The score is now folded in time order and clamped after each event, and additions expire too (DESIGN.md, credit
 * score): every operator's stored score, grade and forced-D end are recomputed from its events by that rule, as of
 * the moment the migration runs (one moment for all). The fold is written here in SQL, as `computeCredit`
 * (src/credit/score.ts) states it on that day, so the migration never changes with later code:
 *
 * - events that count: occurred by then, not a reversal, not reversed by a reversal that occurred by then;
 * - in order of occurred_at, then chain position; start at 100; each event not yet expired adds its points and the
 *   score is clamped to 0–100 at once;
 * - an event expires at its recorded expiry; an addition recorded without one (before additions expired) 24 months
 *   after it occurred, months added in UTC with a day past a month's end running into the next (as JavaScript's
 *   setUTCMonth does);
 * - the latest forced-D end still ahead holds grade D; otherwise A ≥ 90, B ≥ 75, C ≥ 60, else D.
 *
 * Deterministic and idempotent: the events alone decide, and a second run writes nothing. Only rows whose stored
 * state differs are updated.
 */
export class Migration20261129203000_credit_score_fold extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
do $$
declare
  as_of constant timestamptz := now();
  op record;
  ev record;
  v_score integer;
  v_forced timestamptz;
  v_grade char(1);
begin
  for op in select id from operator order by id loop
    v_score := 100;
    v_forced := null;
    for ev in
      select e.points, e.forces_d_until,
             coalesce(e.expires_at, case when e.points > 0 then
               (date_trunc('month', e.occurred_at at time zone 'UTC') + interval '24 months'
                 + ((e.occurred_at at time zone 'UTC') - date_trunc('month', e.occurred_at at time zone 'UTC'))) at time zone 'UTC'
             end) as lapses_at
        from credit_event e
       where e.operator_id = op.id and e.occurred_at <= as_of and e.reverses_id is null
         and not exists (select 1 from credit_event r where r.reverses_id = e.id and r.occurred_at <= as_of)
       order by e.occurred_at, e.seq
    loop
      if ev.lapses_at is null or ev.lapses_at > as_of then
        v_score := least(100, greatest(0, v_score + ev.points));
      end if;
      if ev.forces_d_until > as_of and (v_forced is null or ev.forces_d_until > v_forced) then
        v_forced := ev.forces_d_until;
      end if;
    end loop;
    v_grade := case when v_forced is not null then 'D' when v_score >= 90 then 'A' when v_score >= 75 then 'B' when v_score >= 60 then 'C' else 'D' end;
    update operator set credit_score = v_score, credit_grade = v_grade, forced_d_until = v_forced
     where id = op.id
       and (credit_score, credit_grade, forced_d_until) is distinct from (v_score, v_grade, v_forced);
  end loop;
end
$$`);
  }

  override async down(): Promise<void> {
    // the stored state is derived from the events; the earlier rule is not restored
  }
}
