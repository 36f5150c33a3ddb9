import { GraphQLError } from 'graphql';
import { formatError } from '../src/format-error';
import { useTestApp } from './support/use-test-app';

const { t } = useTestApp({ config: { nodeEnv: 'production' }, each: 'none' });

describe('errors in production mode', () => {
  it('masks an unexpected error, with no SQL or stack trace', () => {
    const raw = new Error('insert into "operator" ("name") values ($1) - relation "x" does not exist');
    const wrapped = new GraphQLError(raw.message, { originalError: raw, path: ['registerOperator'] });
    const formatted = formatError({ message: raw.message, path: ['registerOperator'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } }, wrapped);
    expect(formatted).toEqual({ message: 'Internal server error', path: ['registerOperator'], locations: undefined, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('answers a syntax error without a stack trace', async () => {
    const res = await t.gql('{ operators( }');
    expect(res.errors).toEqual([{ message: 'Syntax Error: Expected Name, found "}".', locations: [{ line: 1, column: 14 }], extensions: { code: 'GRAPHQL_PARSE_FAILED' } }]);
  });

  it('turns introspection off', async () => {
    const res = await t.gql('{ __schema { queryType { name } } }');
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.data).toBeNull();
  });

  it('keeps typed errors with their code and field', async () => {
    const res = await t.gql('{ operators(first: 1000) { edges { cursor } } }');
    expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(JSON.stringify(res)).not.toMatch(/stacktrace|at .*\.ts/);
  });
});
