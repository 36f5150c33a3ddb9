import { DEFAULT_LIMITS } from '../../src/config';
import { buildAppSchema } from '../../src/resolvers';
import { createTestApp, type TestApp } from '../support/app';
import { CALLERS, RULES, SUBSCRIPTIONS, buildWorld, documentFor, operationsOf, rowCounts, type World } from './operations';

let t: TestApp;
let w: World;

beforeAll(async () => {
  t = await createTestApp({ limits: { ...DEFAULT_LIMITS, publicPerWindow: 1e6, gateScansPerWindow: 1e6, writesPerWindow: 1e6 } });
  w = await buildWorld(t);
});
afterAll(async () => t.close());

describe('access matrix', () => {
  it('has a rule for every query and mutation of the schema, and none for operations that are gone', async () => {
    const keys = operationsOf(await buildAppSchema()).map((o) => o.key);
    expect(keys.filter((k) => !RULES[k])).toEqual([]);
    expect(Object.keys(RULES).filter((k) => !keys.includes(k))).toEqual([]);
  });

  it('states who may subscribe to every subscription of the schema', async () => {
    const fields = Object.keys((await buildAppSchema()).getSubscriptionType()?.getFields() ?? {}).map((name) => `Subscription.${name}`);
    expect(fields.sort()).toEqual(Object.keys(SUBSCRIPTIONS).sort());
  });

  it('allows exactly the callers of each rule and refuses every other caller without writing anything', async () => {
    const operations = operationsOf(await buildAppSchema()).filter((o) => RULES[o.key]);
    const mismatches: string[] = [];
    let cells = 0;
    for (const op of operations) {
      const rule = RULES[op.key];
      // a refused call consumes nothing, so refused callers share one set of arguments
      let refusedArgs: Record<string, unknown> | null = null;
      for (const who of CALLERS) {
        cells++;
        const args = rule.allow.includes(who) ? await rule.args(w, who) : (refusedArgs ??= await rule.args(w, who));
        const before = op.kind === 'mutation' ? await rowCounts(t) : null;
        const res = await t.gql(documentFor(op.kind, op.field, args), args, w.tokens[who]);
        const codes = (res.errors ?? []).map((e) => e.extensions?.code);
        if (rule.allow.includes(who)) {
          if (codes.length || res.data?.[op.field.name] == null) mismatches.push(`${op.key} as ${who}: expected success, got ${JSON.stringify(res.errors)}`);
        } else {
          const expected = who === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
          if (codes.length !== 1 || codes[0] !== expected || res.data !== null) {
            mismatches.push(`${op.key} as ${who}: expected ${expected}, got ${JSON.stringify(res.errors ?? res.data)}`);
          }
          if (before) {
            const after = await rowCounts(t);
            if (JSON.stringify(after) !== JSON.stringify(before)) mismatches.push(`${op.key} as ${who}: refused but wrote ${JSON.stringify({ before, after })}`);
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(cells).toBe(operations.length * CALLERS.length);
    // every operation times every caller: the matrix grows with the schema
  }, 180_000);

  it('refuses an operator account on another operator’s batch and gate staff at another market', async () => {
    // spelled out, besides the matrix, because these are the refusals that matter most
    const batch = await t.gql(`query($id: ID!) { batch(id: $id) { id } }`, { id: w.batch.id }, w.tokens.OPERATOR_OTHER);
    expect(batch).toEqual({ status: 200, data: null, errors: [expect.objectContaining({ message: 'This account may not act for that operator', extensions: { code: 'FORBIDDEN' } })] });
    const created = await t.gql(
      `mutation($input: CreateBatchInput!) { createBatch(input: $input) { id } }`,
      { input: { ownerId: w.operatorId, productName: 'Stolen lot', category: 'FRUIT', lotCode: 'STOLEN-1', quantity: 1, unit: 'KG', producedAt: '2026-11-01T00:00:00.000Z' } },
      w.tokens.OPERATOR_OTHER,
    );
    expect(created.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(await t.sql(`select count(*)::int as n from batch where lot_code = 'STOLEN-1'`)).toEqual([{ n: 0 }]);
    const vendors = await t.gql(`query($m: ID!) { marketVendors(marketId: $m) { id } }`, { m: w.marketId }, w.tokens.GATE_STAFF_OTHER);
    expect(vendors.errors).toEqual([expect.objectContaining({ message: 'This account may not act at that market', extensions: { code: 'FORBIDDEN' } })]);
    const entries = await t.sql(`select count(*)::int as n from market_entry`);
    const scan = await t.gql(`mutation($input: GateScanInput!) { scanAtGate(input: $input) { decision } }`, { input: await w.scanInput() }, w.tokens.GATE_STAFF_OTHER);
    expect(scan).toEqual({ status: 200, data: null, errors: [expect.objectContaining({ message: 'This account may not act at that market', extensions: { code: 'FORBIDDEN' } })] });
    expect(await t.sql(`select count(*)::int as n from market_entry`)).toEqual(entries);
  });
});
