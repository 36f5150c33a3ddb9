import { Migration } from '@mikro-orm/migrations';

/** Lineage: the yield of a processing step, and the database itself refusing a link that closes a cycle. */
export class Migration20261129010000_lineage extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table batch add column process_yield numeric(14,6) check (process_yield > 0)`);
    this.addSql(`comment on column batch.process_yield is 'Output of a PROCESS step per unit of input, when all inputs share one unit'`);
    // the new child has no descendants in the common case, so the walk ends at once
    this.addSql(`
create function batch_link_refuse_cycle() returns trigger language plpgsql as $$
begin
  if exists (
    with recursive down(id) as (
      select new.child_id
      union
      select l.child_id from batch_link l join down d on l.parent_id = d.id
    )
    select 1 from down where id = new.parent_id
  ) then
    raise exception 'batch_link % -> % would close a cycle', new.parent_id, new.child_id using errcode = '23514';
  end if;
  return new;
end $$`);
    this.addSql(`create trigger batch_link_acyclic before insert or update of parent_id, child_id on batch_link for each row execute function batch_link_refuse_cycle()`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists batch_link_acyclic on batch_link`);
    this.addSql(`drop function if exists batch_link_refuse_cycle()`);
    this.addSql(`alter table batch drop column if exists process_yield`);
  }
}
