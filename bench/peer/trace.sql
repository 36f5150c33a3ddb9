-- The peer's trace as PostGraphile's best user writes it: one SQL function for the recursive walk,
-- exposed as a root field; everything else comes from the relations PostGraphile derives from the foreign keys
-- and plans into the same statement.
create or replace function trace_upstream(code text) returns setof batch language sql stable as $$
  with recursive walk(id, depth) as (
    select b.id, 0 from batch b where b.public_code = code
    union
    select l.parent_id, w.depth + 1 from walk w join batch_link l on l.child_id = w.id where w.depth < 100
  ),
  nodes as (select id, min(depth) as depth from walk group by id order by min(depth), id limit 2000)
  select b.* from nodes n join batch b on b.id = n.id order by n.depth, b.id
$$;
comment on function trace_upstream(text) is E'@behavior -connection +list\nEvery batch upstream of a public code (itself first), nearest first.';
-- what the public must not see
comment on table account is E'@behavior -*';
comment on column operator.contact_phone is E'@behavior -*';
comment on column operator.contact_person is E'@behavior -*';
