import { DEFAULT_LIMITS, loadConfig } from '../src/config';
import { postgresRateStore } from '../src/limits/shared-budgets';
import { createTestApp, type TestApp } from './support/app';

// two app processes as the cluster runs them: separate fastify instances and pools over one database
let a: TestApp;
let b: TestApp;
const LOW = { ...DEFAULT_LIMITS, publicPerWindow: 3, authFailuresPerWindow: 2, rateWindowMs: 60_000 };

beforeAll(async () => {
  a = await createTestApp({ limits: LOW, rateLimitStore: 'postgres' });
  b = await createTestApp({ limits: LOW, rateLimitStore: 'postgres' });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
});
beforeEach(async () => a.reset());

const page = (t: TestApp, ip: string) => t.app.fastify.inject({ method: 'GET', url: '/t/nothing-here', remoteAddress: ip });
const signIn = (t: TestApp, ip: string, tokenText: string) =>
  t.app.fastify.inject({
    method: 'POST', url: '/graphql', remoteAddress: ip,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenText}` },
    payload: JSON.stringify({ query: '{ me { id } }' }),
  });

describe('rate-limit budgets shared between processes (RATE_LIMIT_STORE=postgres)', () => {
  it('defaults to the shared store when several processes run, and reads RATE_LIMIT_STORE', () => {
    expect(loadConfig({}).rateLimitStore).toBe('memory');
    expect(loadConfig({ WEB_CONCURRENCY: '4' })).toMatchObject({ webConcurrency: 4, rateLimitStore: 'postgres' });
    expect(loadConfig({ WEB_CONCURRENCY: '4', RATE_LIMIT_STORE: 'memory' }).rateLimitStore).toBe('memory');
    expect(() => loadConfig({ WEB_CONCURRENCY: '0', RATE_LIMIT_STORE: 'redis' })).toThrow(
      'Invalid configuration:\n  - WEB_CONCURRENCY must be a whole number of processes between 1 and 64, got "0"\n  - RATE_LIMIT_STORE must be memory or postgres, got "redis"',
    );
  });

  it('one address spends one public budget whichever process answers', async () => {
    const statuses = [];
    for (const t of [a, b, a, b]) statuses.push((await page(t, '203.0.113.20')).statusCode);
    expect(statuses).toEqual([404, 404, 404, 429]);
    const refused = await page(a, '203.0.113.20');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    // another address, and another bucket of the same address, are untouched
    expect((await page(b, '203.0.113.21')).statusCode).toBe(404);
    expect(await a.sql(`select key, hits from rate_counter order by key`)).toEqual([
      { key: 'public:ip:203.0.113.20', hits: 5 },
      { key: 'public:ip:203.0.113.21', hits: 1 },
    ]);
  });

  it('counts failed sign-ins of an address across processes', async () => {
    const unknown = `ft_${'x'.repeat(43)}`;
    const statuses = [];
    for (const t of [a, b, a]) statuses.push((await signIn(t, '198.51.100.30', unknown)).statusCode);
    expect(statuses).toEqual([401, 401, 429]);
    expect((await signIn(b, '198.51.100.30', unknown)).json().errors[0].extensions).toEqual({ code: 'RATE_LIMITED', bucket: 'auth', retryAfter: 60 });
  });

  it('starts a new window once the old one ended, and sweeps ended windows', async () => {
    await a.sql(`insert into rate_counter (key, hits, window_ends_at) values ('public:ip:203.0.113.40', 99, now() - interval '1 second'),
      ('report:ip:203.0.113.41', 7, now() - interval '1 second')`);
    expect((await page(b, '203.0.113.40')).statusCode).toBe(404);
    expect(await a.sql(`select hits from rate_counter where key = 'public:ip:203.0.113.40'`)).toEqual([{ hits: 1 }]);
    // every `sweepEvery` hits a process forgets ended windows
    const Store = postgresRateStore(a.orm, 2);
    const store = new Store({});
    const hit = (key: string) => new Promise((resolve, reject) => store.incr(key, (e, r) => (e ? reject(e) : resolve(r)), 60_000, 3));
    expect(await hit('public:ip:192.0.2.1')).toEqual({ current: 1, ttl: expect.any(Number) });
    expect(await hit('public:ip:192.0.2.1')).toEqual({ current: 2, ttl: expect.any(Number) });
    await new Promise((r) => setTimeout(r, 100));
    expect(await a.sql(`select key from rate_counter order by key`)).toEqual([{ key: 'public:ip:192.0.2.1' }, { key: 'public:ip:203.0.113.40' }]);
  });
});
