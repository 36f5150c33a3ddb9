import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openOrm, POOL_TIMEOUTS } from '../../src/db/orm';
import { createTestApp, workerDatabaseUrl, type TestApp } from '../support/app';

describe('/readyz', () => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('asks the database at most once per interval however often it is called', async () => {
    t = await createTestApp({ readyCheckIntervalMs: 60_000 });
    const pings = () => t.statements.filter((s) => /select 1/.test(s)).length;
    const answers = await Promise.all(Array.from({ length: 20 }, () => t.app.fastify.inject({ method: 'GET', url: '/readyz' })));
    for (let i = 0; i < 20; i++) answers.push(await t.app.fastify.inject({ method: 'GET', url: '/readyz' }));
    expect(new Set(answers.map((a) => `${a.statusCode} ${a.body}`))).toEqual(new Set(['200 {"status":"ready"}']));
    expect(pings()).toBe(1);
  });

  it('checks again once the interval has passed', async () => {
    t = await createTestApp({ readyCheckIntervalMs: 50 });
    await t.app.fastify.inject({ method: 'GET', url: '/readyz' });
    await new Promise((r) => setTimeout(r, 80));
    await t.app.fastify.inject({ method: 'GET', url: '/readyz' });
    expect(t.statements.filter((s) => /select 1/.test(s)).length).toBe(2);
  });
});

describe('the connection pool', () => {
  it('sets idle_in_transaction_session_timeout and keeps statement_timeout on every connection', async () => {
    const orm = await openOrm({ clientUrl: await workerDatabaseUrl() });
    try {
      const [row] = await orm.em.fork().getConnection().execute<{ idle: string; statement: string }[]>(
        `select current_setting('idle_in_transaction_session_timeout') as idle, current_setting('statement_timeout') as statement`,
      );
      expect(row).toEqual({ idle: '1min', statement: '15s' });
      expect(POOL_TIMEOUTS).toEqual({ statementMs: 15_000, queryMs: 20_000, idleInTransactionMs: 60_000, keepAliveDelayMs: 10_000 });
    } finally {
      await orm.close(true);
    }
  });

  it('gives up on an answer after the client-side query timeout even when the server keeps going', async () => {
    const orm = await openOrm({ clientUrl: await workerDatabaseUrl(), timeouts: { queryMs: 300, statementMs: 10_000 } });
    try {
      const started = Date.now();
      await expect(orm.em.fork().getConnection().execute('select pg_sleep(3)')).rejects.toThrow(/Query read timeout/);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await orm.close(true);
    }
  });

  it('ends a transaction left idle past idle_in_transaction_session_timeout', async () => {
    const orm = await openOrm({ clientUrl: await workerDatabaseUrl(), timeouts: { idleInTransactionMs: 200 } });
    try {
      const em = orm.em.fork();
      await expect(
        em.transactional(async (tx) => {
          await tx.getConnection().execute('select 1', [], 'all', tx.getTransactionContext());
          await new Promise((r) => setTimeout(r, 600));
          await tx.getConnection().execute('select 1', [], 'all', tx.getTransactionContext());
        }),
      ).rejects.toThrow(/connection error and is not queryable|idle-in-transaction timeout|terminating connection/);
    } finally {
      await orm.close(true);
    }
  });
});

describe('an error nothing handled', () => {
  const run = (code: string) =>
    promisify(execFile)(process.execPath, ['-r', '@swc-node/register', '-e', code], { cwd: join(__dirname, '..', '..') })
      .then(() => ({ code: 0, stderr: '' }), (e) => ({ code: e.code as number, stderr: e.stderr as string }));

  it('is logged without secrets and ends the process non-zero for its supervisor', async () => {
    const rejected = await run(`require('./src/crash').exitOnUnhandledErrors((l) => console.error(l));
      Promise.reject(new Error('lost ft_${'x'.repeat(43)} at +86 138 0013 8000'));
      setTimeout(() => console.error('still running'), 2000);`);
    expect(rejected.code).toBe(1);
    const line = JSON.parse(rejected.stderr.trim());
    expect(line).toMatchObject({ level: 'fatal', msg: 'unhandled promise rejection; exiting for the supervisor to restart', err: { type: 'Error', message: 'lost ft_[redacted] at [digits]' } });
    expect(rejected.stderr).not.toContain('still running');

    const thrown = await run(`require('./src/crash').exitOnUnhandledErrors((l) => console.error(l)); setTimeout(() => { throw new TypeError('boom'); }, 10);`);
    expect(thrown.code).toBe(1);
    expect(JSON.parse(thrown.stderr.trim())).toMatchObject({ level: 'fatal', msg: 'uncaught exception; exiting for the supervisor to restart', err: { type: 'TypeError', message: 'boom' } });
  }, 60_000);
});
