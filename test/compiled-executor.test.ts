import { Role } from '../src/entities/enums';
import { createTestApp, type TestApp } from './support/app';
import { fixture, makeBatch, makeOperator, token, type Fixture } from './support/factories';

let t: TestApp;
let f: Fixture;
let compiled = 0;
beforeAll(async () => {
  // the server's own setting: graphql-js runs a document the first time, the compiled function from the second
  t = await createTestApp({}, { compiledExecutor: { compileAfter: 2, maxCompiled: 2, onCompile: () => compiled++ } });
});
afterAll(async () => t.close());
beforeEach(async () => {
  await t.reset();
  f = await fixture(t);
});

const raw = async (query: string, variables: Record<string, unknown>, bearer: string | null = null) => {
  const res = await t.app.fastify.inject({
    method: 'POST', url: '/graphql',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    payload: JSON.stringify({ query, variables }),
  });
  return `${res.statusCode} ${res.body}`;
};

const TRACE = `query($c: String!) { trace(code: $c) {
  code url recalled truncated producer { name grade } batch { id lotCode quantity unit producedAt owner { name kind } }
  nodes { id depth status } edges { parentId childId kind quantity createdAt } certificates { number } recall { reason } } }`;

describe('the compiled executor', () => {
  it('answers hot documents byte for byte as graphql-js does: data, masked errors, refusals and bad input', async () => {
    const farm = await makeOperator(t, f.admin, { name: 'Qingshan Farm' });
    const batch = await makeBatch(t, f.admin, farm.id, { lotCode: 'QS-9', quantity: 12.5 });
    const vendor = await token(t, Role.GATE_STAFF, { marketId: (await t.sql(`insert into market (name) values ('M') returning id`))[0].id });
    compiled = 0;
    const cases: [string, Record<string, unknown>, string | null][] = [
      [TRACE, { c: batch.publicCode }, null],
      [TRACE, { c: 'AAAAAAAAAAAAAAAA' }, null],
      [TRACE, { c: 42 }, null],
      ['query($id: ID!) { traceForward(batchId: $id) { totalBatches } }', { id: String(batch.id) }, vendor],
      ['mutation($i: CreateBatchInput!) { createBatch(input: $i) { id } }', { i: { ownerId: farm.id, productName: '', category: 'VEGETABLE', lotCode: 'X', quantity: -1, unit: 'KG', producedAt: '2026-11-01T00:00:00Z' } }, f.admin],
    ];
    for (const [query, variables, bearer] of cases) {
      const first = await raw(query, variables, bearer);
      const second = await raw(query, variables, bearer);
      const third = await raw(query, variables, bearer);
      expect([second, third]).toEqual([first, first]);
    }
    // one compilation per distinct query (the trace's three variable sets share one), on its second run; mutations run on graphql-js
    expect(compiled).toBe(2);
    expect(await raw(TRACE, { c: batch.publicCode })).toMatch(/^200 \{"data":\{"trace":\{"code":"[^"]+","url":"http:\/\/foodtrace\.test\/t\/[^"]+","recalled":false,"truncated":false,"producer":\{"name":"Qingshan Farm","grade":"A"\}/);
    expect(await raw(TRACE, { c: 'AAAAAAAAAAAAAAAA' })).toMatch(/"code":"NOT_FOUND"/);
  });

  it('runs nothing when the operation name names no operation, even for the only operation of the document', async () => {
    const res = await t.app.fastify.inject({
      method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', authorization: `Bearer ${f.admin}` },
      payload: JSON.stringify({ query: 'mutation { registerMarket(input: { name: "Named nowhere" }) { id } }', operationName: 'A' }),
    });
    expect([res.statusCode, res.json()]).toEqual([400, { errors: [{ message: 'Unknown operation named "A".', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }] }]);
    expect(await t.sql(`select count(*)::int as n from market where name = 'Named nowhere'`)).toEqual([{ n: 0 }]);
  });

  it('keeps only the most recently used compiled documents', async () => {
    compiled = 0;
    const docs = ['{ __typename }', 'query A { __typename }', 'query B { __typename }'];
    for (const d of [...docs, ...docs]) await raw(d, {});
    // all three compiled at their second run; the first was dropped for the third (two kept)
    expect(compiled).toBe(3);
    for (const d of docs.slice(1)) await raw(d, {});
    expect(compiled).toBe(3);
    // the dropped one starts again: graphql-js once, then compiled anew
    await raw(docs[0], {});
    expect(compiled).toBe(3);
    await raw(docs[0], {});
    expect(compiled).toBe(4);
  });
});
