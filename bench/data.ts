import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { chainHash, GENESIS_HASH } from '../src/credit/ledger.service';
import { openOrm } from '../src/db/orm';
import { DATASET_DB, databaseUrl, dropDatabase, withAdmin } from './lib/db';
import { generate, TABLE_COLUMNS, type Tables } from './lib/generate';

/** Loads the benchmark county into its own database: generated in memory, loaded with COPY. */
async function main(): Promise<void> {
  const factor = Number(process.env.BENCH_SCALE ?? '1');
  // the county is built in memory before it is loaded: about 3.2 GB of heap per unit of scale
  if (!(factor > 0 && factor <= 4)) throw new Error(`BENCH_SCALE must be in (0, 4], got ${process.env.BENCH_SCALE}`);
  const say = (line: string) => console.log(`[bench:data] ${line}`);
  const t0 = Date.now();
  const lap = (() => {
    let last = Date.now();
    return () => {
      const now = Date.now();
      const s = (now - last) / 1000;
      last = now;
      return s;
    };
  })();

  const { tables, meta } = generate(factor, say);
  const generateSeconds = lap();
  say(`generated scale ${factor} in ${generateSeconds.toFixed(1)} s: ${JSON.stringify(meta.counts)}`);

  await withAdmin(async (admin) => {
    await dropDatabase(admin, DATASET_DB);
    await admin.query(`create database "${DATASET_DB}"`);
  });
  const url = databaseUrl(DATASET_DB);
  const orm = await openOrm({ clientUrl: url });
  await orm.close(true);
  const migrateSeconds = lap();

  const client = new Client({ connectionString: url });
  await client.connect();
  const timings: Record<string, number> = {};
  try {
    // rows are consistent by construction: foreign-key triggers are skipped during the load
    await client.query("set session_replication_role = replica; set synchronous_commit = off; set maintenance_work_mem = '1GB'");
    const secondary = await dropSecondaryIndexes(client);
    timings.dropIndexes = lap();
    const order: (keyof Tables)[] = ['market', 'operator', 'account', 'batch', 'batch_link', 'origin_certificate', 'market_entry', 'inspection', 'credit_event'];
    for (const table of order) {
      await copyRows(client, table, tables[table]);
      timings[`copy ${table}`] = lap();
      say(`copied ${tables[table].length} rows into ${table} in ${timings[`copy ${table}`].toFixed(1)} s`);
      tables[table] = [];
    }
    for (const table of order) {
      await client.query(`select setval(pg_get_serial_sequence('${table}', 'id'), greatest(1, (select max(id) from ${table})))`);
    }
    for (const sql of secondary) await client.query(sql);
    timings.createIndexes = lap();
    say(`recreated ${secondary.length} indexes and constraints in ${timings.createIndexes.toFixed(1)} s`);
    await client.query('set session_replication_role = origin');
    await client.query('vacuum (analyze)');
    timings.vacuumAnalyze = lap();
    await client.query('create table bench_meta (key text primary key, value jsonb not null)');
    await client.query("insert into bench_meta values ('dataset', $1)", [JSON.stringify(meta)]);
    const checks = await verify(client);
    timings.verify = lap();
    const total = (Date.now() - t0) / 1000;
    const load = Object.entries(timings).filter(([k]) => k !== 'verify').reduce((a, [, v]) => a + v, 0) + migrateSeconds;
    say(`checks: ${JSON.stringify(checks)}`);
    const [{ size }] = (await client.query('select pg_size_pretty(pg_database_size(current_database())) as size')).rows;
    say(`loaded into ${DATASET_DB} (${size}): generate ${generateSeconds.toFixed(1)} s, load ${load.toFixed(1)} s, total ${total.toFixed(1)} s`);
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `dataset-scale-${factor}.json`),
      `${JSON.stringify({ database: DATASET_DB, size, scale: factor, counts: meta.counts, seconds: { generate: generateSeconds, migrate: migrateSeconds, ...timings, load, total }, checks, subjects: { traceCode: meta.traceCode, traceNodes: meta.traceNodes, fanOutRootId: meta.fanOutRootId, fanOutDescendants: meta.fanOutDescendants, deepestChain: meta.deepestChain } }, null, 2)}\n`,
    );
  } finally {
    await client.end();
  }
}

async function copyRows(client: Client, table: keyof Tables, rows: string[]): Promise<void> {
  const stream = client.query(copyFrom(`copy ${table} (${TABLE_COLUMNS[table]}) from stdin`));
  const CHUNK = 2000;
  const chunks = function* () {
    for (let i = 0; i < rows.length; i += CHUNK) yield rows.slice(i, i + CHUNK).join('');
  };
  await pipeline(Readable.from(chunks()), stream);
}

/** Drops every index and unique constraint except primary keys; returns the statements that restore them. */
async function dropSecondaryIndexes(client: Client): Promise<string[]> {
  const tables = Object.keys(TABLE_COLUMNS);
  const constraints = (await client.query(
    `select conrelid::regclass::text as tbl, conname, pg_get_constraintdef(oid) as def
       from pg_constraint where contype = 'u' and conrelid::regclass::text = any($1)`,
    [tables],
  )).rows as { tbl: string; conname: string; def: string }[];
  const indexes = (await client.query(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
       from pg_index i where i.indrelid::regclass::text = any($1) and not i.indisprimary
        and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`,
    [tables],
  )).rows as { name: string; def: string }[];
  for (const c of constraints) await client.query(`alter table ${c.tbl} drop constraint "${c.conname}"`);
  for (const i of indexes) await client.query(`drop index ${i.name}`);
  return [...constraints.map((c) => `alter table ${c.tbl} add constraint "${c.conname}" ${c.def}`), ...indexes.map((i) => i.def)];
}

/** Cheap proofs that the data set is what the domain allows. */
async function verify(client: Client): Promise<Record<string, unknown>> {
  const one = async (sql: string) => (await client.query(sql)).rows[0];
  const massBalance = await one(`
    select count(*)::int as violations from batch b
     join (select parent_id, sum(quantity) as taken from batch_link where kind in ('SPLIT', 'TRANSFER', 'MERGE', 'PROCESS') group by parent_id) l on l.parent_id = b.id
     where l.taken > b.quantity`);
  const remaining = await one(`
    select count(*)::int as violations from batch b
     left join (select parent_id, sum(quantity) as taken from batch_link group by parent_id) l on l.parent_id = b.id
     where b.remaining <> b.quantity - coalesce(l.taken, 0)`);
  // children are always created after their parents, so every link points to a higher id: no cycle anywhere
  const backwards = await one('select count(*)::int as n from batch_link where child_id <= parent_id');
  const grades = (await client.query('select credit_grade, count(*)::int as n from operator group by 1 order by 1')).rows;
  // walk whole chains for a sample of operators and recompute every hash
  const sample = (await client.query('select id from operator order by id % 97, id limit 25')).rows.map((r) => r.id as number);
  let events = 0;
  let broken = 0;
  for (const operatorId of sample) {
    const rows = (await client.query(
      `select operator_id, seq, rule_code, points, reason, source, source_ref, recorded_by_id, occurred_at, expires_at, forces_d_until, reverses_id, prev_hash, hash
         from credit_event where operator_id = $1 order by seq`,
      [operatorId],
    )).rows;
    let prev = GENESIS_HASH;
    for (const r of rows) {
      events++;
      const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
      const h = chainHash(prev, {
        operatorId: r.operator_id, seq: r.seq, ruleCode: r.rule_code, points: r.points, reason: r.reason, source: r.source, sourceRef: r.source_ref,
        recordedById: r.recorded_by_id, occurredAt: iso(r.occurred_at)!, expiresAt: iso(r.expires_at), forcesDUntil: iso(r.forces_d_until), reversesId: r.reverses_id,
      });
      if (r.prev_hash !== prev || r.hash !== h) broken++;
      prev = r.hash;
    }
  }
  return { massBalanceViolations: massBalance.violations, linksNotForward: backwards.n, remainingMismatches: remaining.violations, grades, chainSample: { operators: sample.length, events, broken } };
}

main().catch((e) => {
  console.error('[bench:data] failed:', e);
  process.exit(1);
});
