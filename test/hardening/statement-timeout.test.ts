import { DriverException } from '@mikro-orm/core';
import { GraphQLError } from 'graphql';
import { formatError } from '../../src/format-error';
import { PublicReads } from '../../src/db/public-reads';
import { DEFAULT_LIMITS } from '../../src/config';
import { withPublicLookup as publicLookup, withReadOnlyTransaction } from '../../src/context';
import { createTestApp, type TestApp } from '../support/app';
import { fixture, makeBatch, makeOperator } from '../support/factories';
import { failure } from '../support/failure';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ limits: { ...DEFAULT_LIMITS, publicStatementTimeoutMs: 100 } });
});
afterAll(async () => t.close());

describe('statement timeout for public lookups', () => {
  it('cancels a statement that runs longer than the limit, quickly, with a TIMEOUT for clients', async () => {
    const started = Date.now();
    const error = await failure(publicLookup({ em: t.orm.em.fork(), config: t.config }, (tx) => tx.em.execute('select pg_sleep(2)')));
    const took = Date.now() - started;
    expect(error).toBeInstanceOf(DriverException);
    expect((error as { code?: string }).code).toBe('57014');
    expect(took).toBeLessThan(1000);
    const formatted = formatError({ message: 'x', path: ['trace'] }, new GraphQLError('x', { originalError: error as Error, path: ['trace'] }));
    expect(formatted).toEqual({ message: 'The query took too long', path: ['trace'], locations: undefined, extensions: { code: 'TIMEOUT' } });
  });

  it('lets a statement within the limit answer', async () => {
    const rows = await withReadOnlyTransaction({ em: t.orm.em.fork() }, 1000, (tx) => tx.em.execute('select 41 + 1 as n'));
    expect(rows).toEqual([{ n: 42 }]);
  });

  it('runs read-only: a write inside a public lookup is refused and nothing is written', async () => {
    const error = await failure(publicLookup({ em: t.orm.em.fork(), config: t.config }, (tx) => tx.em.execute(`insert into market (name) values ('sneaky')`)));
    expect((error as { code?: string }).code).toBe('25006');
    expect(await t.sql(`select count(*)::int as n from market`)).toEqual([{ n: 0 }]);
  });

  it('bounds the public `epcisDocument` query: its statements run after the timeout is set', async () => {
    const f = await fixture(t);
    const farm = await makeOperator(t, f.admin);
    const batch = await makeBatch(t, f.admin, farm.id);
    t.statements.length = 0;
    await t.gql(`query($code: String!) { epcisDocument(code: $code) }`, { code: batch.publicCode });
    const sql = t.statements.map((s) => s.replace(/\u001b\[[0-9;]*m/g, ''));
    const at = sql.findIndex((s) => /set local statement_timeout = 100\b/.test(s));
    expect(at).toBeGreaterThan(0);
    expect(sql[at - 1]).toMatch(/\bstart transaction read only\b/);
    // every statement of the lookup comes after the limit, before the commit
    const end = sql.findIndex((s, i) => i > at && /\bcommit\b/.test(s));
    expect(sql.slice(at + 1, end).length).toBeGreaterThan(0);
    expect(sql.slice(0, at - 1).filter((s) => /from "?batch"?\b/.test(s))).toEqual([]);
  });

  it('answers the public `trace` query and the consumer page from the read-only, time-bounded public connections alone', async () => {
    const f = await fixture(t);
    const farm = await makeOperator(t, f.admin);
    const batch = await makeBatch(t, f.admin, farm.id);
    for (const run of [
      () => t.gql(`query($code: String!) { trace(code: $code) { code } }`, { code: batch.publicCode }),
      () => t.app.fastify.inject({ method: 'GET', url: `/t/${batch.publicCode}` }),
    ]) {
      t.statements.length = 0;
      await run();
      expect(t.statements).toEqual(['[public] foodtrace_trace']);
    }
  });
});

describe('the public lookups\' connections', () => {
  let reads: PublicReads;
  beforeAll(() => {
    reads = new PublicReads(t.url, 100);
  });
  afterAll(() => reads.end());

  it('carry read-only mode and the statement timeout from the moment they connect', async () => {
    expect(await reads.query({ name: 't_settings', text: 'select current_setting($1) as timeout, current_setting($2) as ro' }, ['statement_timeout', 'transaction_read_only']))
      .toEqual([{ timeout: '100ms', ro: 'on' }]);
  });

  it('cancel a statement that runs longer than the limit, quickly, with a TIMEOUT for clients', async () => {
    const started = Date.now();
    const error = await failure(reads.query({ name: 't_sleep', text: 'select pg_sleep(2)' }, []));
    expect(Date.now() - started).toBeLessThan(1000);
    expect((error as { code?: string }).code).toBe('57014');
    const formatted = formatError({ message: 'x', path: ['trace'] }, new GraphQLError('x', { originalError: error as Error, path: ['trace'] }));
    expect(formatted).toEqual({ message: 'The query took too long', path: ['trace'], locations: undefined, extensions: { code: 'TIMEOUT' } });
  });

  it('refuse a write and write nothing', async () => {
    const error = await failure(reads.query({ name: 't_write', text: `insert into market (name) values ('sneaky')` }, []));
    expect((error as { code?: string }).code).toBe('25006');
    expect(await t.sql(`select count(*)::int as n from market where name = 'sneaky'`)).toEqual([{ n: 0 }]);
  });

  it('keep answering after a cancelled statement', async () => {
    await failure(reads.query({ name: 't_sleep', text: 'select pg_sleep(2)' }, []));
    expect(await reads.query({ name: 't_sum', text: 'select $1::int + 1 as n' }, [41])).toEqual([{ n: 42 }]);
  });
});

describe('pooled connections of the server\'s own pool', () => {
  it('leaves pooled connections at the server default afterwards', async () => {
    const { openOrm } = await import('../../src/db/orm');
    const orm = await openOrm({ clientUrl: t.url, poolMax: 1 });
    try {
      await withReadOnlyTransaction({ em: orm.em.fork() }, 50, (tx) => tx.em.execute('select 1'));
      // one connection in the pool: this is the same one the lookup used
      expect(await orm.em.fork().execute('show statement_timeout')).toEqual([{ statement_timeout: '15s' }]);
      expect(await orm.em.fork().execute('show transaction_read_only')).toEqual([{ transaction_read_only: 'off' }]);
    } finally {
      await orm.close(true);
    }
  });
});
