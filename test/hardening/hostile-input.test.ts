import {
  GraphQLEnumType, GraphQLInputObjectType, GraphQLList, GraphQLNonNull, GraphQLScalarType, getNullableType,
  type GraphQLInputType,
} from 'graphql';
import { DEFAULT_LIMITS } from '../../src/config';
import { buildAppSchema } from '../../src/resolvers';
import { createTestApp, type TestApp } from '../support/app';
import { RULES, buildWorld, documentFor, operationsOf, rowCounts, type Caller, type World } from './operations';

let t: TestApp;
let w: World;

beforeAll(async () => {
  t = await createTestApp({ limits: { ...DEFAULT_LIMITS, publicPerWindow: 1e6, gateScansPerWindow: 1e6, writesPerWindow: 1e6 } });
  w = await buildWorld(t);
});
afterAll(async () => t.close());

/** A hostile value; `benign` ones (markup or SQL as plain text, a blank optional text) may also be accepted. */
interface Hostile {
  label: string;
  value: unknown;
  benign?: boolean;
}

const HUGE = 'x'.repeat(100_000);

/** Values among the hostile ones that mean something real for one field: nobody fell ill after a banquet; a plan item back at 0 %. */
const LEGITIMATE = new Set(['Mutation.recordBanquetOutcome input.peopleIll = zero', 'Mutation.updatePlanProgress input.progress = zero']);
const WRONG_TYPES: Hostile[] = [
  { label: 'an object', value: { $gt: '' } },
  { label: 'a list of objects', value: [{ __proto__: { admin: true } }] },
];

function hostileFor(type: GraphQLInputType): Hostile[] {
  const t0 = getNullableType(type);
  if (t0 instanceof GraphQLList) {
    return [
      { label: 'an empty list', value: [] },
      { label: 'a list of nulls', value: [null] },
      { label: 'a list of 10,000 items', value: Array(10_000).fill('X') },
      ...WRONG_TYPES.slice(0, 1),
    ];
  }
  if (t0 instanceof GraphQLEnumType) {
    return [
      { label: 'an unknown enum value', value: 'NOT_A_VALUE' },
      { label: 'a lower-case enum value', value: t0.getValues()[0].name.toLowerCase() },
      { label: 'an empty enum value', value: '' },
      { label: 'a number for an enum', value: 1 },
      ...WRONG_TYPES,
    ];
  }
  if (t0 instanceof GraphQLInputObjectType) return [{ label: 'a string for an input object', value: 'x' }, { label: 'a list for an input object', value: [1, 2] }];
  const name = (t0 as GraphQLScalarType).name;
  switch (name) {
    case 'ID':
      return [
        { label: 'an unknown id', value: '99999999' },
        { label: 'id 0', value: '0' },
        { label: 'a negative id', value: '-1' },
        { label: 'an id beyond int4', value: '2147483648' },
        { label: 'an enormous id', value: '9'.repeat(40) },
        { label: 'an id with SQL', value: '1 or 1=1' },
        { label: 'an id with markup', value: '<img src=x onerror=alert(1)>' },
        { label: 'an empty id', value: '' },
        { label: 'a fractional id', value: 1.5 },
        ...WRONG_TYPES,
      ];
    case 'Int':
      return [
        { label: 'a negative int', value: -1 },
        { label: 'zero', value: 0 },
        { label: 'an int beyond 32 bits', value: 2147483648 },
        { label: 'an enormous number', value: 1e308 },
        { label: 'a fraction for an int', value: 1.5 },
        { label: 'a string for an int', value: 'ten' },
        ...WRONG_TYPES,
      ];
    case 'Float':
      return [
        { label: 'a negative number', value: -1 },
        { label: 'zero', value: 0 },
        { label: 'an enormous number', value: 1e308 },
        { label: 'a tiny fraction', value: 1e-9 },
        { label: 'a string for a number', value: '12' },
        { label: 'a boolean for a number', value: true },
        ...WRONG_TYPES,
      ];
    case 'Boolean':
      return [{ label: 'a string for a boolean', value: 'yes' }, { label: 'a number for a boolean', value: 1 }, ...WRONG_TYPES];
    case 'DateTimeISO':
      return [
        { label: 'words for a date', value: 'yesterday' },
        { label: 'an impossible date', value: '2026-13-45T25:61:00Z' },
        { label: 'a far-future date', value: '9999-12-31T23:59:59.999Z' },
        { label: 'a date before 2000', value: '1900-01-01T00:00:00.000Z' },
        { label: 'an empty date', value: '' },
        { label: 'a number for a date', value: -1 },
        ...WRONG_TYPES,
      ];
    default:
      return [
        { label: 'an empty string', value: '' },
        { label: 'only spaces', value: '   ' },
        { label: 'a 100,000-character string', value: HUGE },
        { label: 'a NUL character', value: 'a\u0000b' },
        { label: 'terminal escapes', value: 'a\u001b[31mb\u0007' },
        { label: 'markup', value: '<script>alert(1)</script>', benign: true },
        { label: 'SQL', value: "'); drop table operator; --", benign: true },
        { label: 'a number for a string', value: 42 },
        ...WRONG_TYPES,
      ];
  }
}

interface Leaf {
  path: (string | number)[];
  type: GraphQLInputType;
  nonNull: boolean;
}

/** Every argument and input field, as paths into the variables, present in the valid call or required. */
function leaves(fieldArgs: readonly { name: string; type: GraphQLInputType; defaultValue?: unknown }[], base: Record<string, unknown>): Leaf[] {
  const out: Leaf[] = [];
  const walk = (path: (string | number)[], type: GraphQLInputType, value: unknown) => {
    out.push({ path, type, nonNull: type instanceof GraphQLNonNull });
    const inner = getNullableType(type);
    if (inner instanceof GraphQLInputObjectType && value && typeof value === 'object') {
      for (const field of Object.values(inner.getFields())) {
        const v = (value as Record<string, unknown>)[field.name];
        if (v !== undefined || field.type instanceof GraphQLNonNull) walk([...path, field.name], field.type, v);
      }
    }
  };
  for (const arg of fieldArgs) if (arg.name in base || (arg.type instanceof GraphQLNonNull && arg.defaultValue === undefined)) walk([arg.name], arg.type, base[arg.name]);
  return out;
}

function withValue(base: Record<string, unknown>, path: (string | number)[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(base);
  let node: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

// FORBIDDEN: an id that points outside the caller's own market or operator
const TYPED = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'FORBIDDEN', 'GRAPHQL_VALIDATION_FAILED']);

describe('hostile input to every mutation', () => {
  it('answers each with a typed error naming the field, writes nothing, and stays up', async () => {
    const mutations = operationsOf(await buildAppSchema()).filter((o) => o.kind === 'mutation');
    expect(mutations.filter((m) => !RULES[m.key]).map((m) => m.key)).toEqual([]);
    const failures: string[] = [];
    const stats = { mutations: 0, requests: 0, refused: 0, acceptedAsPlainText: 0 };
    const codes: Record<string, number> = {};

    let counts = await rowCounts(t);
    for (const m of mutations) {
      const rule = RULES[m.key];
      const caller: Caller = rule.allow.includes('ADMIN') ? 'ADMIN' : rule.allow[0];
      let base = await rule.args(w, caller);
      counts = await rowCounts(t);
      stats.mutations++;
      const document = documentFor('mutation', m.field, base);
      const variants: { where: string; leaf: Leaf; value: unknown; benign: boolean }[] = [];
      for (const leaf of leaves(m.field.args, base)) {
        const where = leaf.path.join('.');
        for (const h of hostileFor(leaf.type)) {
          // a blank optional text is the same as leaving it out
          const blankOptional = !leaf.nonNull && typeof h.value === 'string' && !h.value.trim();
          variants.push({ where: `${where} = ${h.label}`, leaf, value: h.value, benign: !!h.benign || blankOptional || LEGITIMATE.has(`${m.key} ${where} = ${h.label}`) });
        }
        if (leaf.nonNull) {
          variants.push({ where: `${where} = null`, leaf, value: null, benign: false });
          if (leaf.path.length > 1) variants.push({ where: `${where} missing`, leaf, value: undefined, benign: false });
        }
      }
      for (const v of variants) {
        const res = await t.gql(document, withValue(base, v.leaf.path, v.value), w.tokens[caller]);
        stats.requests++;
        const errorCodes = (res.errors ?? []).map((e) => String(e.extensions?.code));
        const after = await rowCounts(t);
        const changed = JSON.stringify(after) !== JSON.stringify(counts);
        counts = after;
        if (!res.errors?.length && res.data?.[m.field.name] != null) {
          if (v.benign) stats.acceptedAsPlainText++;
          else failures.push(`${m.key} ${v.where}: accepted`);
          // what was accepted may have used up unique values or quantities: start again from fresh ones
          base = await rule.args(w, caller);
          counts = await rowCounts(t);
          continue;
        }
        stats.refused++;
        for (const c of errorCodes) codes[c] = (codes[c] ?? 0) + 1;
        if (!errorCodes.length || errorCodes.some((c) => !TYPED.has(c))) failures.push(`${m.key} ${v.where}: ${res.status} ${JSON.stringify(res.errors)}`);
        if (changed) failures.push(`${m.key} ${v.where}: refused but wrote`);
        // our own refusals name the field; graphql-js's name the variable path in the message
        const leafName = String(v.leaf.path[v.leaf.path.length - 1]);
        for (const e of res.errors ?? []) {
          if (e.extensions?.code !== 'BAD_USER_INPUT' || /^(Variable "\$|Too many errors processing variables)/.test(e.message)) continue;
          if (!String(e.extensions.field ?? '').includes(leafName)) failures.push(`${m.key} ${v.where}: names field ${e.extensions.field} (${e.message})`);
        }
        if (res.errors?.some((e) => /select |insert |update |stack|\.ts:\d/i.test(e.message))) failures.push(`${m.key} ${v.where}: leaks ${JSON.stringify(res.errors)}`);
      }
    }
    console.log(JSON.stringify({ ...stats, codes }));
    expect(failures).toEqual([]);

    // still up, every table still there, and a plain call still works
    expect((await t.app.fastify.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await t.app.fastify.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect(Object.keys(await rowCounts(t))).toEqual(expect.arrayContaining(['operator', 'batch', 'market', 'credit_event']));
    expect((await t.gql('{ me { role } }', {}, w.tokens.ADMIN)).data).toEqual({ me: { role: 'ADMIN' } });
  }, 120_000);
});
