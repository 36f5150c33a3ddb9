import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GraphQLNonNull, getNamedType, isLeafType, isObjectType, type GraphQLField, type GraphQLObjectType, type GraphQLSchema,
} from 'graphql';
import { DEFAULT_LIMITS } from '../../src/config';
import { Grade } from '../../src/entities/enums';
import { isSampled } from '../../src/gate/gate.service';
import { buildAppSchema } from '../../src/resolvers';
import { createTestApp, type TestApp } from '../support/app';
import { ok } from '../support/factories';
import { RULES, buildWorld, operationsOf, type Caller, type World } from './operations';

/**
 * Field-level access: for each caller, every root query the caller may run is asked for every field reachable
 * from it (objects followed to DEPTH levels, each type once per path), against a world whose records fill every
 * field that has anything to show. Each leaf that comes back with data is named `root: Type.field`; the set per
 * caller must equal the allow-list beside this file. A new field, or a field a caller newly sees, fails here until
 * someone writes it into `field-access.allow.json` (regenerate with FIELD_ACCESS_WRITE=1 and read the diff).
 */
const CALLERS_WALKED: readonly Caller[] = ['anonymous', 'OPERATOR', 'OPERATOR_OTHER', 'GATE_STAFF', 'REGULATOR', 'ADMIN', 'INSPECTOR', 'VILLAGE_ASSISTANT'];
const DEPTH = 6;
const ALLOW_FILE = join(__dirname, 'field-access.allow.json');

let t: TestApp;
let w: World;
let schema: GraphQLSchema;

beforeAll(async () => {
  t = await createTestApp({ limits: { ...DEFAULT_LIMITS, publicPerWindow: 1e6, gateScansPerWindow: 1e6, writesPerWindow: 1e6 } });
  w = await buildWorld(t);
  schema = await buildAppSchema();
  await seedGateHistory(w);
  // a failed field inspection with its open order, so the walk sees their fields
  await w.openOrder();
});
afterAll(async () => t.close());

/** A scan id the server's draw (with this app's secret) does not send to a test at grade A, so the walk sees the same entry every run. */
function unsampledScanId(tag: string): string {
  for (let i = 0; ; i++) if (!isSampled(`${tag}-${i}`, Grade.A, t.config.samplingSecret!)) return `${tag}-${i}`;
}

/** On the world's lot: an accepted gate entry with a hand-over, a refused one, and a rapid test naming its tester. */
async function seedGateHistory(world: World): Promise<void> {
  const accepted = ok(await t.gql(
    `mutation($input: GateScanInput!) { scanAtGate(input: $input) { entryId decision } }`,
    { input: { code: world.batch.publicCode, marketId: world.marketId, vendorOperatorId: world.vendorId, declaredQuantity: 10, unit: 'KG', scanId: unsampledScanId('walk-accepted') } },
    world.tokens.GATE_STAFF,
  )).scanAtGate;
  expect(accepted.decision).toBe('ACCEPTED');
  const [{ id: staff }] = await t.sql(`select id from account where role = 'GATE_STAFF' order by id limit 1`);
  await t.sql(
    `insert into market_entry (market_id, staff_id, scan_id, request_hash, code_scanned, batch_id, vendor_id, declared_quantity, unit, decision, reasons, decided_at)
     values ($1, $2, 'walk-refused', repeat('c', 64), 'x', $3, $4, 99, 'KG', 'REJECTED', '[{"code":"NO_CERTIFICATE","zh":"无合格证","en":"No certificate"}]', now())`,
    [world.marketId, staff, world.batch.id, world.otherOperatorId],
  );
  ok(await t.gql(
    `mutation($input: RecordTestInput!) { recordRapidTest(input: $input) { inspection { id } } }`,
    { input: { batchId: world.batch.id, marketId: world.marketId, items: [{ item: 'organophosphate and carbamate', value: 12.5, unit: '%', result: 'PASS' }], tester: 'Li Na' } },
    world.tokens.GATE_STAFF,
  ));
  // on the market day the rules table asks the board for
  await t.sql(`update inspection set inspected_at = '2026-11-28T04:00:00Z' where tester = 'Li Na'`);
}

/** The selection of every field of `type` to `depth` levels, each type once per path; nested arguments left to their defaults. */
function selectionOf(type: GraphQLObjectType, depth: number, path: readonly string[]): string {
  const parts: string[] = [];
  for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
    const required = field.args.filter((a) => a.type instanceof GraphQLNonNull && a.defaultValue === undefined);
    if (required.length) throw new Error(`${type.name}.${field.name} needs arguments ${required.map((a) => a.name)}: give the walk values for them`);
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(field.name);
    else if (isObjectType(named) && depth > 1 && !path.includes(named.name)) parts.push(`${field.name} { ${selectionOf(named, depth - 1, [...path, named.name])} }`);
  }
  return parts.length ? parts.join(' ') : '__typename';
}

/** `root: Type.field` for every leaf in `value` that holds data (not null, not an empty string or list). */
function leavesWithData(root: string, type: GraphQLObjectType, value: unknown, out: Set<string>): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const v of value) leavesWithData(root, type, v, out);
    return;
  }
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (name === '__typename') continue;
    const field = type.getFields()[name];
    const named = getNamedType(field.type);
    if (isObjectType(named)) leavesWithData(root, named, v, out);
    else if (v !== null && v !== '' && !(Array.isArray(v) && v.length === 0)) out.add(`${root}: ${type.name}.${name}`);
  }
}

async function walk(who: Caller): Promise<string[]> {
  const seen = new Set<string>();
  for (const op of operationsOf(schema).filter((o) => o.kind === 'query')) {
    const rule = RULES[op.key];
    if (!rule.allow.includes(who)) continue; // refusals are the access matrix's part
    const args = await rule.args(w, who);
    const used = op.field.args.filter((a) => a.name in args);
    const defs = used.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
    const call = used.map((a) => `${a.name}: $${a.name}`).join(', ');
    const named = getNamedType(op.field.type);
    const selection = isObjectType(named) ? ` { ${selectionOf(named, DEPTH, [named.name])} }` : '';
    const res = await t.gql(`query${defs ? `(${defs})` : ''} { ${op.field.name}${call ? `(${call})` : ''}${selection} }`, args, w.tokens[who]);
    if (res.errors) throw new Error(`${op.key} as ${who}: ${JSON.stringify(res.errors)}`);
    const value = res.data?.[op.field.name];
    if (isObjectType(named)) leavesWithData(op.field.name, named, value, seen);
    else if (value !== null && value !== undefined) seen.add(`${op.field.name}: ${named.name}`);
  }
  return [...seen].sort();
}

describe('field-level access', () => {
  it('answers each caller exactly the leaf fields of its allow-list, walking every field reachable from every root query', async () => {
    const found: Record<string, string[]> = {};
    for (const who of CALLERS_WALKED) found[who] = await walk(who);
    if (process.env.FIELD_ACCESS_WRITE === '1') writeFileSync(ALLOW_FILE, `${JSON.stringify(found, null, 2)}\n`);
    const allowed = JSON.parse(readFileSync(ALLOW_FILE, 'utf8')) as Record<string, string[]>;
    const diff: Record<string, { unexpected: string[]; missing: string[] }> = {};
    for (const who of CALLERS_WALKED) {
      const unexpected = found[who].filter((f) => !allowed[who]?.includes(f));
      const missing = (allowed[who] ?? []).filter((f) => !found[who].includes(f));
      if (unexpected.length || missing.length) diff[who] = { unexpected, missing };
    }
    expect(diff).toEqual({});
  });

  it('shows anonymous callers of trace what the public page shows: no tester names, no refused loads and their vendors', async () => {
    const doc = `query($c: String!) { trace(code: $c) { inspections { tester result } marketEntries { decision vendorName receivedBatchId } } }`;
    const anonymous = ok(await t.gql(doc, { c: w.batch.publicCode })).trace;
    expect(anonymous.inspections).toEqual([{ tester: '', result: 'PASS' }]);
    expect(anonymous.marketEntries).toEqual([{ decision: 'ACCEPTED', vendorName: 'Stall 7', receivedBatchId: expect.any(String) }]);
    const regulator = ok(await t.gql(doc, { c: w.batch.publicCode }, w.tokens.REGULATOR)).trace;
    expect(regulator.inspections).toEqual([{ tester: 'Li Na', result: 'PASS' }]);
    expect(regulator.marketEntries.map((e: { decision: string; vendorName: string }) => [e.decision, e.vendorName])).toEqual([['ACCEPTED', 'Stall 7'], ['REJECTED', 'Other Farm']]);
  });

  it('answers the tester on the public test board to signed-in callers only', async () => {
    const board = `query($m: ID!, $d: String!) { marketTestBoard(marketId: $m, date: $d) { tests { tester } } }`;
    const today = '2026-11-28';
    expect(ok(await t.gql(board, { m: w.marketId, d: today })).marketTestBoard.tests).toEqual([{ tester: '' }]);
    expect(ok(await t.gql(board, { m: w.marketId, d: today }, w.tokens.OPERATOR)).marketTestBoard.tests).toEqual([{ tester: 'Li Na' }]);
  });
});
