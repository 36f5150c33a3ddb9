import { DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { GraphQLError } from 'graphql';
import { withTransaction } from '../src/context';
import { formatError } from '../src/format-error';
import { DECIDE_SCAN, RECORD_SCAN } from '../src/gate/gate.sql';
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

describe('the scan\'s statements (gate/gate.sql.ts)', () => {
  /** The tables a plan reads whole, with sequential scans made as dear as the planner allows. */
  async function scannedWhole(name: string, text: string, values: unknown[]): Promise<string[]> {
    return withTransaction({ em: t.orm.em.fork() }, async (tx) => {
      await tx.em.execute('set local enable_seqscan = off');
      const [row] = await executePrepared<{ 'QUERY PLAN': unknown }>(tx, { name: `explain_${name}`, text: `explain (format json) ${text}` }, values);
      const found: string[] = [];
      const walk = (node: Record<string, unknown>) => {
        if (node['Node Type'] === 'Seq Scan') found.push(String(node['Relation Name']));
        for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
      };
      walk((row['QUERY PLAN'] as { Plan: Record<string, unknown> }[])[0].Plan);
      return found;
    });
  }

  it('read every county-sized table by an index: none is read whole, whatever the code names', async () => {
    const entry = [1, 1, 1, 'scan-1', 'hash', 'CODE', 1, 'KG', null, 'REJECTED'];
    const parts: Record<keyof typeof RECORD_SCAN, unknown[]> = { PUBLIC_CODE: ['CODE'], DIGITAL_LINK: ['09506000134352', 'L1'], TEXT: ['CODE', 'code'], UNRECOGNISED: [] };
    const whole: Record<string, string[]> = {};
    for (const kind of Object.keys(RECORD_SCAN) as (keyof typeof RECORD_SCAN)[]) {
      whole[kind] = await scannedWhole(kind, RECORD_SCAN[kind].text, [...entry, ...parts[kind]]);
    }
    whole.decide = await scannedWhole('decide', DECIDE_SCAN.text, [1, 1, 1, 2, 'CODE2', null, null, null, null, null, 1, 1, 'ACCEPTED', '[]', null, '{}', null]);
    expect(whole).toEqual({ PUBLIC_CODE: [], DIGITAL_LINK: [], TEXT: [], UNRECOGNISED: [], decide: [] });
  });
});

describe('room for updates in place (Migration20261203200000_room_for_updates)', () => {
  it('keeps 15 % of every new page of lots and certificates free, so a scan\'s updates of them can stay on their page', async () => {
    expect(await t.sql(`select relname, reloptions from pg_class where relname in ('batch', 'origin_certificate', 'market_entry') order by relname`)).toEqual([
      { relname: 'batch', reloptions: ['fillfactor=85'] },
      { relname: 'market_entry', reloptions: null },
      { relname: 'origin_certificate', reloptions: ['fillfactor=85'] },
    ]);
  });
});
