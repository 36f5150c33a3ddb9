import 'reflect-metadata';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createAccount } from '../../src/auth/account.service';
import { loadConfig } from '../../src/config';
import { openOrm } from '../../src/db/orm';
import { Role } from '../../src/entities/enums';
import { DEFAULT_LIMITS } from '../../src/limits/config';
import { createApp, type App } from '../../src/server';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres';

let pg: PrivatePostgres;
let orm: MikroORM;
let app: App;
let base: string;
let admin: string;
let marketId: string;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  pg = await startPrivatePostgres();
  orm = await openOrm({ clientUrl: pg.url, poolMax: 4 });
  const config = { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), limits: { ...DEFAULT_LIMITS, publicPerWindow: 1e6, writesPerWindow: 1e6 } };
  app = await createApp(orm, config);
  await app.fastify.listen({ port: 0, host: '127.0.0.1' });
  const address = app.fastify.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  admin = (await createAccount(orm.em.fork(), { name: 'Admin', role: Role.ADMIN })).token;
  marketId = (await gql(`mutation { registerMarket(input: { name: "Outage market" }) { id } }`, admin)).body.data.registerMarket.id;
}, 60_000);

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await app?.fastify.close();
  await orm?.close(true);
  await pg?.destroy();
});

interface Outcome {
  at: number;
  ms: number;
  status: number;
  /** 'ok', or the error code of a GraphQL error */
  result: string;
}

async function gql(query: string, token?: string) {
  const started = Date.now();
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = await res.json();
  return { status: res.status, body, ms: Date.now() - started };
}

async function get(path: string) {
  const res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(15_000) });
  return res.status;
}

function outcome(res: { status: number; body: any; ms: number }): Outcome {
  const codes = [...new Set((res.body.errors ?? []).map((e: any) => e.extensions?.code))];
  return { at: Date.now(), ms: res.ms, status: res.status, result: codes.length ? codes.join(',') : 'ok' };
}

async function until(what: () => Promise<boolean>, limitMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    if (await what()) return Date.now();
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`not within ${limitMs} ms`);
}

describe('the database goes away and comes back during load', () => {
  it('keeps the process up, fails fast with UNAVAILABLE, turns /readyz red then green, and serves fully within 5 s of the return', async () => {
    const outcomes: { kind: string; o: Outcome }[] = [];
    const acknowledged: string[] = [];
    let loading = true;
    let n = 0;
    const workers = [
      async () => { while (loading) outcomes.push({ kind: 'public read', o: outcome(await gql(`{ market(id: "${marketId}") { name } }`)) }); },
      async () => { while (loading) outcomes.push({ kind: 'signed-in read', o: outcome(await gql('{ me { role } }', admin)) }); },
      async () => {
        while (loading) {
          const name = `Load ${++n}`;
          const res = await gql(`mutation { registerMarket(input: { name: "${name}" }) { name } }`, admin);
          if (res.body.data?.registerMarket?.name === name) acknowledged.push(name);
          outcomes.push({ kind: 'write', o: outcome(res) });
          await new Promise((r) => setTimeout(r, 20));
        }
      },
    ];
    const running = workers.map((w) => w());

    await new Promise((r) => setTimeout(r, 500));
    expect(await get('/readyz')).toBe(200);
    const stopping = Date.now();
    await pg.stop();
    const down = Date.now();
    const red = await until(async () => (await get('/readyz')) === 503, 2000);
    expect(await get('/healthz')).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await get('/healthz')).toBe(200);
    expect(await get('/readyz')).toBe(503);

    const starting = Date.now();
    await pg.start();
    const up = Date.now();
    const green = await until(async () => (await get('/readyz')) === 200, 5000);
    const served = await until(async () => {
      const [a, b, c] = await Promise.all([
        gql(`{ market(id: "${marketId}") { name } }`),
        gql('{ me { role } }', admin),
        gql(`mutation { registerMarket(input: { name: "After ${up}" }) { name } }`, admin),
      ]);
      return !a.body.errors && !b.body.errors && !c.body.errors;
    }, 5000);
    await new Promise((r) => setTimeout(r, 300));
    loading = false;
    await Promise.all(running);

    // requests sent after the server had stopped and answered before it began to start again
    const during = outcomes.filter(({ o }) => o.at - o.ms > down && o.at < starting);
    const after = outcomes.filter(({ o }) => o.at > served);
    // the measurements, for SECURITY.md
    console.log(JSON.stringify({
      requests: outcomes.length,
      duringOutage: during.length,
      stopTookMs: down - stopping,
      startTookMs: up - starting,
      readyzRedAfterMs: red - down,
      readyzGreenAfterMs: green - up,
      fullServiceAfterMs: served - up,
      slowestMs: Math.max(...outcomes.map(({ o }) => o.ms)),
      slowestDuringOutageMs: Math.max(...during.map(({ o }) => o.ms)),
    }));

    // nothing but success or the typed UNAVAILABLE, never a masked internal error or a hang
    expect([...new Set(outcomes.map(({ o }) => o.result))].sort()).toEqual(['UNAVAILABLE', 'ok']);
    expect(during.length).toBeGreaterThan(20);
    expect([...new Set(during.map(({ o }) => o.result))]).toEqual(['UNAVAILABLE']);
    expect(Math.max(...during.map(({ o }) => o.ms))).toBeLessThan(2000);
    expect(new Set(during.map(({ kind }) => kind))).toEqual(new Set(['public read', 'signed-in read', 'write']));
    expect(red - down).toBeLessThan(2000);
    expect(served - up).toBeLessThanOrEqual(5000);
    expect(after.length).toBeGreaterThan(0);
    expect([...new Set(after.map(({ o }) => o.result))]).toEqual(['ok']);
    // every acknowledged write is there
    const stored = (await orm.em.fork().execute<{ name: string }[]>(`select name from market where name like 'Load %'`)).map((r) => r.name);
    expect(acknowledged.filter((name) => !stored.includes(name))).toEqual([]);
    expect(unhandled).toEqual([]);
  }, 60_000);
});
