import { DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { GraphQLError } from 'graphql';
import { withTransaction } from '../src/context';
import { formatError } from '../src/format-error';
import { executePrepared } from '../src/tables/prepared';
import { useTestApp } from './support/use-test-app';
import { failure } from './support/failure';

const { t } = useTestApp({ each: 'reset' });

const INSERT_MARKET = { name: 'gate_test_insert_market', text: 'insert into market (name) values ($1) returning name' };
const PREPARED_HERE = { name: 'gate_test_prepared_here', text: 'select name from pg_prepared_statements where name = $1' };

describe('prepared statements of the gate (tables/prepared.ts)', () => {
  it('run in the caller\'s transaction: committed with it, rolled back with it', async () => {
    const em = () => ({ em: t.orm.em.fork() });
    await withTransaction(em(), (tx) => executePrepared(tx, INSERT_MARKET, ['Kept market']));
    const error = await failure(withTransaction(em(), async (tx) => {
      await executePrepared(tx, INSERT_MARKET, ['Rolled back market']);
      throw new Error('the scan failed after its first statement');
    }));
    expect((error as Error).message).toBe('the scan failed after its first statement');
    expect(await t.sql('select name from market order by id')).toEqual([{ name: 'Kept market' }]);
  });

  it('are planned once per connection and named there, and logged like every statement', async () => {
    t.statements.length = 0;
    const names = await withTransaction({ em: t.orm.em.fork() }, async (tx) => {
      await executePrepared(tx, INSERT_MARKET, ['One']);
      await executePrepared(tx, INSERT_MARKET, ['Two']);
      return executePrepared(tx, PREPARED_HERE, [INSERT_MARKET.name]);
    });
    expect(names).toEqual([{ name: INSERT_MARKET.name }]);
    expect(t.statements.map((s) => s.replace(/\u001b\[[0-9;]*m/g, '').replace(/^\s*\[query\]\s*/, '').slice(0, 28))).toEqual([
      'begin', 'insert into market (name) va', 'insert into market (name) va', 'select name from pg_prepared', 'commit',
    ]);
  });

  it('fail with the ORM\'s typed errors, as `em.execute` does: a unique violation, a statement timeout', async () => {
    await t.sql(`insert into market (name) values ('Taken')`);
    await t.sql('create unique index gate_test_market_name on market (name)');
    try {
      const taken = await failure(withTransaction({ em: t.orm.em.fork() }, (tx) => executePrepared(tx, INSERT_MARKET, ['Taken'])));
      expect(taken).toBeInstanceOf(UniqueConstraintViolationException);
    } finally {
      await t.sql('drop index gate_test_market_name');
    }
    const slow = await failure(withTransaction({ em: t.orm.em.fork() }, async (tx) => {
      await tx.em.execute('set local statement_timeout = 50');
      return executePrepared(tx, { name: 'gate_test_sleep', text: 'select pg_sleep($1)' }, [2]);
    }));
    expect([slow instanceof DriverException, (slow as { code?: string }).code]).toEqual([true, '57014']);
    const formatted = formatError({ message: 'x', path: ['scanAtGate'] }, new GraphQLError('x', { originalError: slow as Error, path: ['scanAtGate'] }));
    expect(formatted).toEqual({ message: 'The query took too long', path: ['scanAtGate'], locations: undefined, extensions: { code: 'TIMEOUT' } });
  });

  it('refuse to run outside a transaction, where there is no one connection to prepare them on', async () => {
    const error = await failure(executePrepared({ em: t.orm.em.fork() }, INSERT_MARKET, ['Nowhere']));
    expect((error as Error).message).toBe('gate_test_insert_market runs inside a transaction');
    expect(await t.sql('select count(*)::int as n from market')).toEqual([{ n: 0 }]);
  });
});
