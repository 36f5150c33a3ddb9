import {
  GraphQLNonNull, getNamedType, isInterfaceType, isObjectType, isUnionType, parse, specifiedRules, validate,
  type GraphQLField, type GraphQLObjectType,
} from 'graphql';
import { Role } from '../../src/entities/enums';
import { QUERY_LIMITS, queryLimits } from '../../src/limits/query-limits';
import { buildAppSchema } from '../../src/resolvers';
import { createTestApp, type TestApp } from '../support/app';
import { fixture, makeMarket, makeOperator, ok, token, type Fixture } from '../support/factories';

let t: TestApp;
let prod: TestApp;
let f: Fixture;

beforeAll(async () => {
  t = await createTestApp();
  prod = await createTestApp({ nodeEnv: 'production' });
  f = await fixture(t);
});
afterAll(async () => {
  await t.close();
  await prod.close();
});

async function post(app: TestApp, payload: unknown, headers: Record<string, string> = {}) {
  const res = await app.app.fastify.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  return { status: res.statusCode, body: res.json() };
}

const OPERATOR_FIELDS = 'id kind name creditCode registrationCardNo village address contactPerson contactPhone status publicCode createdAt credit { score grade forcedUntil }';

describe('query limits', () => {
  it('has the documented values', () => {
    expect(QUERY_LIMITS).toEqual({ maxDepth: 8, maxAliases: 10, maxDirectives: 20, maxTokens: 1000, maxCost: 20000 });
  });

  it('refuses a document nested deeper than 8 levels, and accepts 8', async () => {
    // type references nest as deep as asked, so they make a valid document of any depth
    const nest = (levels: number) => `{ __type(name: "Query") { fields { type { ${'ofType { '.repeat(levels - 4)}name${' }'.repeat(levels - 4)} } } } }`;
    const deep = await post(t, { query: nest(9) });
    expect(deep.status).toBe(400);
    expect(deep.body).toEqual({ errors: [{ message: 'Syntax Error: Query depth limit of 8 exceeded, found 9.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
    const fits = await post(t, { query: nest(8) });
    expect(fits.status).toBe(200);
    expect(fits.body.errors).toBeUndefined();
    expect(fits.body.data.__type.fields.length).toBeGreaterThan(0);
  });

  it('refuses more than 10 aliases, and accepts 10', async () => {
    const market = await makeMarket(t, f.admin, 'Alias market');
    const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `m${i}: market(id: "${market.id}") { name }`).join(' ')} }`;
    const over = await post(t, { query: aliased(11) });
    expect(over.status).toBe(400);
    expect(over.body).toEqual({ errors: [{ message: 'Syntax Error: Aliases limit of 10 exceeded, found 11.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
    const fits = await post(t, { query: aliased(10) });
    expect(fits.status).toBe(200);
    expect(Object.values(fits.body.data)).toEqual(Array(10).fill({ name: 'Alias market' }));
  });

  it('refuses more than 20 directives, and accepts 20', async () => {
    const directed = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `t${i}: __typename @skip(if: false)`).join(' ')} }`;
    const over = await post(t, { query: directed(21) });
    expect(over.status).toBe(400);
    expect(over.body).toEqual({ errors: [{ message: 'Syntax Error: Directives limit of 20 exceeded, found 21.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
    const fits = await post(t, { query: directed(20) });
    expect(fits.status).toBe(200);
    expect(Object.keys(fits.body.data)).toHaveLength(20);
  });

  it('refuses a document of more than 1000 tokens before parsing it whole, and accepts 1000', async () => {
    // braces are 2 tokens, an aliased field 3, a plain one 1; distinct aliases keep graphql-js's
    // own overlap check (which aborts on hundreds of identical fields) out of the way
    const tokens = (n: number) => `{ ${Array.from({ length: 332 }, (_, i) => `a${i}: __typename`).join(' ')} ${'__typename '.repeat(n - 2 - 332 * 3)}}`;
    const over = await post(t, { query: tokens(1001) });
    expect(over.status).toBe(400);
    expect(over.body.errors).toHaveLength(1);
    expect(over.body.errors[0]).toMatchObject({ message: 'Syntax Error: Document contains more that 1000 tokens. Parsing aborted.', extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    const fits = await post(t, { query: tokens(1000) });
    expect(fits.status).toBe(200);
    expect(fits.body.errors).toBeUndefined();
    expect(Object.keys(fits.body.data)).toHaveLength(333);
  });

  it('refuses an operation costing more than 20000 (ten full pages in one request), and accepts one full page', async () => {
    const regulator = await token(t, Role.REGULATOR);
    for (let i = 0; i < 3; i++) await makeOperator(t, f.admin);
    const page = `operators(first: 100) { edges { cursor node { ${OPERATOR_FIELDS} } } pageInfo { hasNextPage endCursor } }`;
    const one = await t.gql(`{ ${page} }`, {}, regulator);
    expect(ok(one).operators.edges).toHaveLength(3);
    const ten = await post(t, { query: `{ ${Array.from({ length: 10 }, (_, i) => `p${i}: ${page}`).join(' ')} }` }, { authorization: `Bearer ${regulator}` });
    expect(ten.status).toBe(400);
    // one page: 100 × (2 + 1.5 × (2 + 1.5 × (1 + 2 + 1.5 × (12 + 2 + 1.5 × 3))) + 1.5 × (2 + 1.5 × 2)) = 8168.75
    expect(ten.body).toEqual({ errors: [{ message: 'Syntax Error: Query Cost limit of 20000 exceeded, found 81687.5.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
  });

  it('refuses a page larger than 100 with BAD_USER_INPUT naming the argument', async () => {
    const regulator = await token(t, Role.REGULATOR);
    const res = await t.gql('{ operators(first: 101) { edges { cursor } } }', {}, regulator);
    expect(res.data).toBeNull();
    expect(res.errors).toEqual([expect.objectContaining({ message: 'first: must be between 1 and 100', extensions: { code: 'BAD_USER_INPUT', field: 'first' } })]);
  });

  it('refuses HTTP batching: an array of operations is a 400 and none of them runs', async () => {
    const before = t.statements.length;
    const res = await post(t, [{ query: '{ __typename }' }, { query: 'mutation { registerMarket(input: { name: "Batched" }) { id } }' }], { authorization: `Bearer ${f.admin}` });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'Operation batching disabled.', extensions: { code: 'BAD_REQUEST' } }] });
    // only the bearer token was looked up
    expect(t.statements.slice(before).filter((s) => !/ from account where token_hash/.test(s))).toEqual([]);
    expect(await t.sql(`select count(*)::int as n from market where name = 'Batched'`)).toEqual([{ n: 0 }]);
  });

  it('turns introspection off in production and keeps it in development', async () => {
    const q = { query: '{ __schema { queryType { name } } }' };
    expect((await post(t, q)).body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    const res = await post(prod, q);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/introspection is not allowed/i), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
    ]);
  });

  it('masks field suggestions in production and keeps them in development', async () => {
    const q = { query: '{ markt(id: "1") { name } }' };
    const dev = await post(t, q);
    expect(dev.body.errors).toEqual([expect.objectContaining({ message: 'Cannot query field "markt" on type "Query". Did you mean "market"?' })]);
    const res = await post(prod, q);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { locations: [{ line: 1, column: 3 }], message: 'Cannot query field "markt" on type "Query". [Suggestion hidden]?', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
    ]);
    expect(JSON.stringify(res.body)).not.toContain('market');
  });
});

/** Every field reachable from `type`, without repeating a type on the path, up to `depth` levels below. */
function fullSelection(type: GraphQLObjectType, depth: number, path: Set<string>): string {
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some((a) => a.type instanceof GraphQLNonNull)) continue;
    const named = getNamedType(field.type);
    if (isUnionType(named) || isInterfaceType(named)) continue;
    if (!isObjectType(named)) {
      parts.push(field.name);
      continue;
    }
    if (depth <= 1 || path.has(named.name)) continue;
    const inner = fullSelection(named, depth - 1, new Set([...path, named.name]));
    if (inner) parts.push(`${field.name} { ${inner} }`);
  }
  return parts.join(' ');
}

function fullDocument(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): string {
  const required = field.args.filter((a) => a.type instanceof GraphQLNonNull && a.defaultValue === undefined);
  const defs = required.map((a) => `$${a.name}: ${a.type}`).join(', ');
  const args = [...required.map((a) => `${a.name}: $${a.name}`), ...(field.args.some((a) => a.name === 'first') ? ['first: 20'] : [])].join(', ');
  const named = getNamedType(field.type);
  const selection = isObjectType(named) ? ` { ${fullSelection(named, QUERY_LIMITS.maxDepth - 1, new Set([named.name]))} }` : '';
  return `${kind}${defs ? `(${defs})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`;
}

describe('legitimate documents', () => {
  // a page of 100 whose nodes each open another page is refused by cost (see above); a page of the
  // default size with everything under it is not
  it('lets every operation through with everything it can select, a page of 20 at the root', async () => {
    const schema = await buildAppSchema();
    const rules = [...specifiedRules, ...queryLimits(true).validationRules];
    const refused: string[] = [];
    let checked = 0;
    for (const [kind, type] of [['query', schema.getQueryType()!], ['mutation', schema.getMutationType()!]] as const) {
      for (const field of Object.values(type.getFields())) {
        const document = fullDocument(kind, field);
        const errors = validate(schema, parse(document, { maxTokens: QUERY_LIMITS.maxTokens }), rules);
        checked++;
        if (errors.length) refused.push(`${field.name}: ${errors.map((e) => e.message).join('; ')}`);
      }
    }
    expect(refused).toEqual([]);
    expect(checked).toBe(Object.keys(schema.getQueryType()!.getFields()).length + Object.keys(schema.getMutationType()!.getFields()).length);
  });
});

describe('request body limit', () => {
  it('answers 413 to a body over 1 MiB by default, before any GraphQL work', async () => {
    expect(t.config.limits.bodyLimitBytes).toBe(1024 * 1024);
    const before = t.statements.length;
    const res = await post(t, { query: '{ __typename }', variables: { pad: 'x'.repeat(1024 * 1024) } });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE', error: 'Payload Too Large', message: 'Request body is too large' });
    expect(t.statements.length).toBe(before);
  });

  it('follows BODY_LIMIT_BYTES', async () => {
    const small = await createTestApp({ limits: { ...t.config.limits, bodyLimitBytes: 2048 } });
    try {
      const fits = await post(small, { query: '{ __typename }', variables: { pad: 'x'.repeat(1900) } });
      expect(fits.status).toBe(200);
      const over = await post(small, { query: '{ __typename }', variables: { pad: 'x'.repeat(2100) } });
      expect(over.status).toBe(413);
    } finally {
      await small.close();
    }
  });
});
