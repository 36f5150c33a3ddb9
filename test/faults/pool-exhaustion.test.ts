import { createTestApp, type TestApp } from '../support/app';
import { fixture, makeMarket } from '../support/factories';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, { poolMax: 2 });
});
afterAll(async () => t.close());

const ACQUIRE_TIMEOUT_MS = 5000; // src/db/orm.ts

describe('an exhausted connection pool', () => {
  it('answers UNAVAILABLE within the acquire timeout while /healthz still answers at once', async () => {
    const f = await fixture(t);
    const market = await makeMarket(t, f.admin, 'Busy market');
    // two slow statements hold both pooled connections
    const hogs = [1, 2].map(() => t.orm.em.fork().execute('select pg_sleep(7)'));
    await new Promise((r) => setTimeout(r, 300));

    const started = Date.now();
    const lookup = t.gql(`query($id: ID!) { market(id: $id) { name } }`, { id: market.id });
    const ready = t.app.fastify.inject({ method: 'GET', url: '/readyz' });

    const healthStarted = Date.now();
    const health = await t.app.fastify.inject({ method: 'GET', url: '/healthz' });
    const healthMs = Date.now() - healthStarted;
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    expect(healthMs).toBeLessThan(200);

    const res = await lookup;
    const tookMs = Date.now() - started;
    expect(res.data).toBeNull();
    expect(res.errors).toEqual([expect.objectContaining({ message: 'The database is unavailable; try again shortly', extensions: { code: 'UNAVAILABLE' } })]);
    expect(tookMs).toBeGreaterThanOrEqual(ACQUIRE_TIMEOUT_MS - 100);
    expect(tookMs).toBeLessThan(ACQUIRE_TIMEOUT_MS + 1500);
    expect((await ready).statusCode).toBe(503);
    console.log(JSON.stringify({ unavailableAfterMs: tookMs, healthzMs: healthMs }));

    await Promise.all(hogs);
    // the pool recovers by itself once the slow statements end
    expect((await t.gql(`query($id: ID!) { market(id: $id) { name } }`, { id: market.id })).data).toEqual({ market: { name: 'Busy market' } });
  }, 30_000);
});
