import 'reflect-metadata';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createAccount } from '../../src/auth/account.service';
import { loadConfig } from '../../src/config';
import { openOrm } from '../../src/db/orm';
import { Role } from '../../src/entities/enums';
import { DEFAULT_LIMITS } from '../../src/config';
import { createApp, type App } from '../../src/server';
import { newCreditCode } from '../support/factories';
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
  const config = { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), limits: { ...DEFAULT_LIMITS, publicPerWindow: 1e6, writesPerWindow: 1e6, gateScansPerWindow: 1e6 } };
  app = await createApp(orm, config);
  await app.fastify.listen({ port: 0, host: '127.0.0.1' });
  const address = app.fastify.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  admin = (await createAccount({ em: orm.em.fork() }, { name: 'Admin', role: Role.ADMIN })).token;
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
    // whatever fails below, the load stops and the database is up for the next test
    const settle = async () => {
      loading = false;
      await Promise.all(running);
      await pg.start();
    };
    let stopping = 0, down = 0, red = 0, starting = 0, up = 0, green = 0, served = 0;
    try {
      await new Promise((r) => setTimeout(r, 500));
      expect(await get('/readyz')).toBe(200);
      stopping = Date.now();
      await pg.stop();
      down = Date.now();
      red = await until(async () => (await get('/readyz')) === 503, 2000);
      expect(await get('/healthz')).toBe(200);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await get('/healthz')).toBe(200);
      expect(await get('/readyz')).toBe(503);

      starting = Date.now();
      await pg.start();
      up = Date.now();
      green = await until(async () => (await get('/readyz')) === 200, 5000);
      served = await until(async () => {
        const [a, b, c] = await Promise.all([
          gql(`{ market(id: "${marketId}") { name } }`),
          gql('{ me { role } }', admin),
          gql(`mutation { registerMarket(input: { name: "After ${up}" }) { name } }`, admin),
        ]);
        return !a.body.errors && !b.body.errors && !c.body.errors;
      }, 5000);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await settle();
    }

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
    expect(during.length).toBeGreaterThan(5);
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

  it('ends with exactly one market entry per scan when gate clients retry their scanId through an outage', async () => {
    const must = (res: { body: any }) => {
      if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
      return res.body.data;
    };
    const farm = must(await gql(`mutation { registerOperator(input: { kind: FARM, name: "Hill Farm", creditCode: "${newCreditCode()}" }) { id } }`, admin)).registerOperator.id;
    const vendor = must(await gql(`mutation { registerOperator(input: { kind: MARKET_VENDOR, name: "Stall 3" }) { id } }`, admin)).registerOperator.id;
    const staff = (await createAccount({ em: orm.em.fork() }, { name: 'Gate 2', role: Role.GATE_STAFF, marketId })).token;
    const codes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const batch = must(
        await gql(`mutation { createBatch(input: { ownerId: "${farm}", productName: "Cabbage", category: VEGETABLE, lotCode: "RETRY-${i}", quantity: 100, unit: KG, producedAt: "2026-11-01T06:00:00.000Z" }) { id publicCode } }`, admin),
      ).createBatch;
      must(await gql(`mutation { issueCertificate(input: { batchId: "${batch.id}", bases: [SELF_TEST] }) { id } }`, admin));
      codes.push(batch.publicCode);
    }

    const scanOnce = (code: string, scanId: string) =>
      gql(`mutation { scanAtGate(input: { code: "${code}", marketId: "${marketId}", vendorOperatorId: "${vendor}", declaredQuantity: 10, unit: KG, scanId: "${scanId}" }) { entryId decision } }`, staff)
        .catch((e: Error) => ({ status: 0, body: { errors: [{ extensions: { code: e.name } }] }, ms: 0 }));
    const answers = new Map<string, string[]>();
    const failures = new Set<string>();
    /** The phones that have been refused by the outage at least once. */
    const sawOutage = new Set<string>();
    // a gate phone: every scan is sent twice at once (a double tap), and retried until answered
    const phone = async (mine: string[], prefix: string) => {
      for (const [i, code] of mine.entries()) {
        const scanId = `${prefix}-${i}`;
        for (let attempt = 0; attempt < 200; attempt++) {
          const results = await Promise.all([scanOnce(code, scanId), scanOnce(code, scanId)]);
          for (const r of results) {
            if (r.body.data?.scanAtGate) answers.set(scanId, [...(answers.get(scanId) ?? []), JSON.stringify(r.body.data.scanAtGate)]);
            else {
              failures.add(r.body.errors?.[0]?.extensions?.code ?? String(r.status));
              sawOutage.add(prefix);
            }
          }
          if (answers.has(scanId)) break;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    // the database stops before the first scan and returns only once every phone has been refused by it, so the
    // scans overlap the outage by construction, however fast the machine
    await pg.stop();
    const phones = [0, 1, 2].map((p) => phone(codes.slice(p * 4, p * 4 + 4), `phone${p}`));
    try {
      await until(async () => sawOutage.size === 3, 30_000);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await pg.start();
      await Promise.all(phones);
    }

    // the outage was seen by every phone, and only as UNAVAILABLE
    expect([...sawOutage].sort()).toEqual(['phone0', 'phone1', 'phone2']);
    expect([...failures]).toEqual(['UNAVAILABLE']);
    expect([...answers.keys()].sort()).toEqual([0, 1, 2].flatMap((p) => [0, 1, 2, 3].map((i) => `phone${p}-${i}`)).sort());
    // every answer to one scanId is the same answer
    for (const [scanId, list] of answers) expect({ scanId, distinct: new Set(list).size }).toEqual({ scanId, distinct: 1 });
    const rows = await orm.em.fork().execute<{ scan_id: string; n: number }[]>(`select scan_id, count(*)::int as n from market_entry group by scan_id order by scan_id`);
    expect(rows).toEqual([...answers.keys()].sort().map((scanId) => ({ scan_id: scanId, n: 1 })));
    expect(unhandled).toEqual([]);
  }, 90_000);
});
