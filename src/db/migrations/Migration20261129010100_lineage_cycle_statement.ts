import { Migration } from '@mikro-orm/migrations';

/**
 * The cycle check runs once per statement over all new links (a transition table) instead of once per row, so a
 * bulk load of links costs one walk of the new children's subtrees, whatever plan a per-row check would have cached.
 */
export class Migration20261129010100_lineage_cycle_statement extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop trigger if exists batch_link_acyclic on batch_link`);
    this.addSql(`drop function if exists batch_link_refuse_cycle()`);
    this.addSql(`
create function batch_link_refuse_cycle() returns trigger language plpgsql as $$
declare
  bad record;
begin
  -- from each new link parent -> child, walk down from the child; reaching the parent again closes a cycle
  with recursive down(start, first, id) as (
    select n.parent_id, n.child_id, n.child_id from new_links n
    union
    select d.start, d.first, l.child_id from batch_link l join down d on l.parent_id = d.id
  )
  select start, first into bad from down where id = start limit 1;
  if found then
    raise exception 'batch_link % -> % would close a cycle', bad.start, bad.first using errcode = '23514';
  end if;
  return null;
end $$`);
    this.addSql(`create trigger batch_link_acyclic_insert after insert on batch_link referencing new table as new_links for each statement execute function batch_link_refuse_cycle()`);
    this.addSql(`create trigger batch_link_acyclic_update after update on batch_link referencing new table as new_links for each statement execute function batch_link_refuse_cycle()`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists batch_link_acyclic_insert on batch_link`);
    this.addSql(`drop trigger if exists batch_link_acyclic_update on batch_link`);
    this.addSql(`drop function if exists batch_link_refuse_cycle()`);
  }
}
