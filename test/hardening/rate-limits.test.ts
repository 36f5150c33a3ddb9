import { Role } from '../../src/entities/enums';
import { DEFAULT_LIMITS } from '../../src/config';
import { loadConfig, ConfigError } from '../../src/config';
import { createTestApp, type TestApp } from '../support/app';
import { makeBatch, makeCertificate, makeMarket, makeOperator, token } from '../support/factories';

let t: TestApp;
let marketId: string;

const LOW = { ...DEFAULT_LIMITS, publicPerWindow: 3, gateScansPerWindow: 2, writesPerWindow: 2, authFailuresPerWindow: 2, rateWindowMs: 60_000 };

beforeEach(async () => {
  // a fresh app per test: every budget starts full
  t = await createTestApp({ limits: LOW });
  // set-up writes use their own token, so each test's tokens start with a full budget
  marketId = (await makeMarket(t, await token(t, Role.ADMIN), 'Rate market')).id;
});
afterEach(async () => t.close());

async function gql(query: string, opts: { token?: string; ip?: string } = {}) {
  const res = await t.app.fastify.inject({
    method: 'POST',
    url: '/graphql',
    remoteAddress: opts.ip ?? '203.0.113.7',
    headers: { 'content-type': 'application/json', ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
    payload: JSON.stringify({ query }),
  });
  return { status: res.statusCode, headers: res.headers, body: res.json() };
}

const get = (url: string, ip = '203.0.113.7') => t.app.fastify.inject({ method: 'GET', url, remoteAddress: ip });

describe('rate limits', () => {
  it('has sane defaults', () => {
    expect(DEFAULT_LIMITS).toEqual({
      bodyLimitBytes: 1048576, rateWindowMs: 60000, publicPerWindow: 300, gateScansPerWindow: 300, writesPerWindow: 300, authFailuresPerWindow: 30, heavyPerWindow: 30,
      reportsPerWindow: 10, publicStatementTimeoutMs: 2000, viewerCacheMs: 5000,
    });
    expect(loadConfig({}).limits).toEqual(DEFAULT_LIMITS);
  });

  it('reads every limit from the environment and names a bad value', () => {
    const env = {
      BODY_LIMIT_BYTES: '4096', RATE_LIMIT_WINDOW_MS: '1000', RATE_LIMIT_PUBLIC: '5', RATE_LIMIT_GATE_SCANS: '6', RATE_LIMIT_WRITES: '7', RATE_LIMIT_AUTH_FAILURES: '8',
      PUBLIC_STATEMENT_TIMEOUT_MS: '250', RATE_LIMIT_HEAVY: '9', RATE_LIMIT_REPORTS: '11', VIEWER_CACHE_MS: '0',
    };
    expect(loadConfig(env).limits).toEqual({
      bodyLimitBytes: 4096, rateWindowMs: 1000, publicPerWindow: 5, gateScansPerWindow: 6, writesPerWindow: 7, authFailuresPerWindow: 8, heavyPerWindow: 9,
      reportsPerWindow: 11, publicStatementTimeoutMs: 250, viewerCacheMs: 0,
    });
    expect(() => loadConfig({ RATE_LIMIT_PUBLIC: '-3', BODY_LIMIT_BYTES: 'lots' })).toThrow(
      new ConfigError(
        'Invalid configuration:\n  - BODY_LIMIT_BYTES must be an integer between 1024 and 67108864, got "lots"\n  - RATE_LIMIT_PUBLIC must be an integer between 1 and 1000000, got "-3"',
      ),
    );
  });

  it('limits anonymous lookups per client address with 429 and Retry-After; another address is unaffected', async () => {
    const q = `{ market(id: "${marketId}") { name } }`;
    for (let i = 0; i < 3; i++) {
      const res = await gql(q);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: { market: { name: 'Rate market' } } });
      expect([res.headers['x-ratelimit-limit'], res.headers['x-ratelimit-remaining']]).toEqual(['3', String(2 - i)]);
    }
    const refused = await gql(q);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.headers['x-ratelimit-limit']).toBe('3');
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');
    expect(refused.body).toEqual({ errors: [{ message: 'Too many requests; retry in 60 s', extensions: { code: 'RATE_LIMITED', bucket: 'public', retryAfter: 60 } }] });
    expect((await gql(q, { ip: '198.51.100.9' })).status).toBe(200);
  });

  it('counts `trace` per address even when signed in, and the public pages share that budget', async () => {
    const regulator = await token(t, Role.REGULATOR);
    // the operation is counted before it is validated or run
    await gql('{ trace(code: "abc") { __typename } }', { token: regulator });
    expect((await get('/t/abc')).statusCode).not.toBe(429);
    expect((await get('/qr/abc.png')).statusCode).not.toBe(429);
    const refused = await get('/o/abc');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(refused.body).toBe('Too many requests; retry in 60 s\n请求过于频繁，请 60 秒后再试\n');
    expect((await get('/01/09506000134352/10/LOT1')).statusCode).toBe(429);
    expect((await get('/m/1/board')).statusCode).toBe(429);
    expect((await gql('{ trace(code: "abc") { __typename } }', { token: regulator })).status).toBe(429);
    // a signed-in read that is not a public lookup is not counted here
    expect((await gql('{ me { role } }', { token: regulator })).body).toEqual({ data: { me: { role: 'REGULATOR' } } });
    expect((await get('/t/abc', '198.51.100.9')).statusCode).not.toBe(429);
  });

  it('counts a GraphQL GET like a POST', async () => {
    const url = `/graphql?query=${encodeURIComponent(`{ market(id: "${marketId}") { name } }`)}`;
    const viaGet = () => t.app.fastify.inject({ method: 'GET', url, remoteAddress: '203.0.113.8', headers: { 'apollo-require-preflight': 'true' } });
    for (let i = 0; i < 3; i++) expect((await viaGet()).json()).toEqual({ data: { market: { name: 'Rate market' } } });
    expect((await viaGet()).statusCode).toBe(429);
  });

  it('charges every root call, so aliasing many lookups into one request buys nothing', async () => {
    const four = `{ a: market(id: "${marketId}") { name } b: market(id: "${marketId}") { name } c: market(id: "${marketId}") { name } d: market(id: "${marketId}") { name } }`;
    const res = await gql(four);
    expect(res.status).toBe(429);
    expect(res.body.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', bucket: 'public', retryAfter: 60 });
  });

  it('limits writes per token, and refuses the extra write before it touches the database', async () => {
    const a = await token(t, Role.ADMIN);
    const b = await token(t, Role.ADMIN);
    const write = (name: string, tk: string) => gql(`mutation { registerMarket(input: { name: "${name}" }) { name } }`, { token: tk, ip: '10.0.0.1' });
    expect((await write('W1', a)).body).toEqual({ data: { registerMarket: { name: 'W1' } } });
    expect((await write('W2', a)).body).toEqual({ data: { registerMarket: { name: 'W2' } } });
    const before = t.statements.length;
    const refused = await write('W3', a);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.body.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', bucket: 'write', retryAfter: 60 });
    expect(t.statements.length).toBe(before);
    // the same address with another token has its own budget
    expect((await write('W4', b)).body).toEqual({ data: { registerMarket: { name: 'W4' } } });
    expect(await t.sql(`select name from market where name like 'W%' order by name`)).toEqual([{ name: 'W1' }, { name: 'W2' }, { name: 'W4' }]);
  });

  it('limits gate scans per token, separately from other writes', async () => {
    // set-up writes spread over two tokens, two writes each
    const [setupA, setupB] = [await token(t, Role.ADMIN), await token(t, Role.ADMIN)];
    const farm = await makeOperator(t, setupA);
    const vendor = await makeOperator(t, setupA, { kind: 'MARKET_VENDOR', creditCode: null });
    const batch = await makeBatch(t, setupB, farm.id);
    await makeCertificate(t, setupB, batch.id);
    const gate = await token(t, Role.GATE_STAFF, { marketId });
    const other = await token(t, Role.GATE_STAFF, { marketId });
    let n = 0;
    const scan = (tk: string) =>
      gql(
        `mutation { scanAtGate(input: { code: "${batch.publicCode}", marketId: "${marketId}", vendorOperatorId: "${vendor.id}", declaredQuantity: 1, unit: KG, scanId: "rate-${++n}" }) { scanId } }`,
        { token: tk },
      );
    expect((await scan(gate)).body).toEqual({ data: { scanAtGate: { scanId: 'rate-1' } } });
    expect((await scan(gate)).body).toEqual({ data: { scanAtGate: { scanId: 'rate-2' } } });
    const refused = await scan(gate);
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', bucket: 'gate', retryAfter: 60 });
    expect(await t.sql(`select scan_id from market_entry order by scan_id`)).toEqual([{ scan_id: 'rate-1' }, { scan_id: 'rate-2' }]);
    expect((await scan(other)).body).toEqual({ data: { scanAtGate: { scanId: 'rate-4' } } });
    // the write budget of the same token is untouched by scans
    const write = await gql(`mutation { registerMarket(input: { name: "x" }) { name } }`, { token: gate });
    expect(write.status).toBe(200);
    expect(write.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('refuses an address after too many unknown tokens, but a valid token always gets in, seen before or not', async () => {
    const known = await token(t, Role.REGULATOR);
    const fresh = await token(t, Role.REGULATOR);
    expect((await gql('{ me { role } }', { token: known, ip: '192.0.2.1' })).body).toEqual({ data: { me: { role: 'REGULATOR' } } });
    for (const guess of ['guess-1', 'guess-2']) {
      const res = await gql('{ me { role } }', { token: guess, ip: '192.0.2.1' });
      expect(res.body.errors).toEqual([{ message: 'The bearer token is unknown or revoked', extensions: { code: 'UNAUTHENTICATED' } }]);
    }
    const before = t.statements.length;
    const refused = await gql('{ me { role } }', { token: 'guess-3', ip: '192.0.2.1' });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.body.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', bucket: 'auth', retryAfter: 60 });
    expect(t.statements.length).toBe(before);
    // a valid token is checked before the failures are: one seen before and one never seen both get in from that address
    expect((await gql('{ me { role } }', { token: known, ip: '192.0.2.1' })).body).toEqual({ data: { me: { role: 'REGULATOR' } } });
    expect((await gql('{ me { role } }', { token: fresh, ip: '192.0.2.1' })).body).toEqual({ data: { me: { role: 'REGULATOR' } } });
    expect((await gql('{ me { role } }', { token: 'guess-5', ip: '192.0.2.1' })).status).toBe(429);
    // other addresses are unaffected
    expect((await gql('{ me { role } }', { token: fresh, ip: '192.0.2.2' })).body).toEqual({ data: { me: { role: 'REGULATOR' } } });
    expect((await gql('{ me { role } }', { token: 'guess-4', ip: '192.0.2.2' })).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('counts well-formed unknown and expired tokens against the address, after looking them up', async () => {
    const expiring = await token(t, Role.REGULATOR);
    await t.sql(`update account set expires_at = now() - interval '1 second' where id = (select max(id) from account)`);
    const unknown = `ft_${'A'.repeat(43)}`;
    expect((await gql('{ me { role } }', { token: unknown, ip: '192.0.2.3' })).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await gql('{ me { role } }', { token: expiring, ip: '192.0.2.3' })).body.errors[0].message).toMatch(/^The bearer token expired at /);
    const refused = await gql('{ me { role } }', { token: unknown, ip: '192.0.2.3' });
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', bucket: 'auth', retryAfter: 60 });
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY names the proxy', async () => {
    const viaProxy = (app: TestApp, client: string) =>
      app.app.fastify.inject({ method: 'GET', url: '/t/x', remoteAddress: '10.9.9.9', headers: { 'x-forwarded-for': client } });
    // off by default: everyone behind the proxy is one address, and a client cannot pick its own
    expect(loadConfig({}).trustProxy).toBe(false);
    for (let i = 0; i < 3; i++) expect((await viaProxy(t, `198.51.100.${i}`)).statusCode).not.toBe(429);
    expect((await viaProxy(t, '198.51.100.99')).statusCode).toBe(429);

    const behind = await createTestApp({ limits: LOW, trustProxy: ['10.9.9.9'] });
    try {
      for (let i = 0; i < 3; i++) expect((await viaProxy(behind, '198.51.100.1')).statusCode).not.toBe(429);
      expect((await viaProxy(behind, '198.51.100.1')).statusCode).toBe(429);
      // each client behind the trusted proxy has its own budget
      expect((await viaProxy(behind, '198.51.100.2')).statusCode).not.toBe(429);
      // a proxy that is not trusted is the client itself
      const other = await behind.app.fastify.inject({ method: 'GET', url: '/t/x', remoteAddress: '10.8.8.8', headers: { 'x-forwarded-for': '198.51.100.1' } });
      expect(other.statusCode).not.toBe(429);
    } finally {
      await behind.close();
    }
  });

  it('reads TRUST_PROXY as false, true, a hop count or addresses and CIDRs, and names a bad value', () => {
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, ::1, loopback' }).trustProxy).toEqual(['10.0.0.0/8', '::1', 'loopback']);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(
      new ConfigError('Invalid configuration:\n  - TRUST_PROXY must be true, false, a hop count (1-99) or a comma-separated list of addresses or CIDRs, got "10.0.0.0/33"'),
    );
  });

  it('limits heavy regulator operations per token in their own budget; traces within the default bounds are not heavy', async () => {
    await t.close();
    t = await createTestApp({ limits: { ...LOW, heavyPerWindow: 2 } });
    const regulator = await token(t, Role.REGULATOR);
    const other = await token(t, Role.REGULATOR);
    const code = (res: { body: any }) => res.body.errors?.[0]?.extensions?.code ?? 'ok';
    // within the default bounds: as often as the regulator page likes
    for (let i = 0; i < 3; i++) expect(code(await gql('{ traceForward(batchId: "1") { __typename } }', { token: regulator }))).toBe('NOT_FOUND');
    expect(code(await gql('{ traceBackward(batchId: "1", maxDepth: 500) { __typename } }', { token: regulator }))).toBe('NOT_FOUND');
    expect(code(await gql('{ traceForward(batchId: "1", maxNodes: 5000) { __typename } }', { token: regulator }))).toBe('NOT_FOUND');
    const before = t.statements.length;
    const refused = await gql('{ verifyCreditArchive { eventsChecked } }', { token: regulator });
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', bucket: 'heavy', retryAfter: 60 });
    expect(t.statements.length).toBe(before);
    // the exports share the budget
    const csv = await t.app.fastify.inject({ method: 'GET', url: '/exports/credit.csv', headers: { authorization: `Bearer ${regulator}` } });
    expect(csv.statusCode).toBe(429);
    expect((await t.app.fastify.inject({ method: 'GET', url: '/epcis/batches/1.jsonld', headers: { authorization: `Bearer ${regulator}` } })).statusCode).toBe(429);
    // another token has its own budget
    expect(code(await gql('{ epcisLineage(batchId: "1") }', { token: other }))).toBe('NOT_FOUND');
    expect((await t.app.fastify.inject({ method: 'GET', url: '/exports/credit.csv', headers: { authorization: `Bearer ${other}` } })).statusCode).toBe(200);
    expect((await t.app.fastify.inject({ method: 'GET', url: '/exports/credit.csv', headers: { authorization: `Bearer ${other}` } })).statusCode).toBe(429);
  });

  it('counts the public ledger routes per address like the pages, and the ledger export in the heavy budget', async () => {
    for (const url of ['/ledger/public-key', '/ledger/checkpoints/latest', '/ledger/proof/1']) expect((await get(url)).statusCode).not.toBe(429);
    const refused = await get('/ledger/checkpoints/1');
    expect([refused.statusCode, refused.headers['retry-after']]).toEqual([429, '60']);
    expect((await get('/t/abc')).statusCode).toBe(429);
    expect((await get('/ledger/public-key', '198.51.100.9')).statusCode).not.toBe(429);

    await t.close();
    t = await createTestApp({ limits: { ...LOW, heavyPerWindow: 1 } });
    const regulator = await token(t, Role.REGULATOR);
    const exportLedger = () => t.app.fastify.inject({ method: 'GET', url: '/ledger/export', headers: { authorization: `Bearer ${regulator}` } });
    expect((await exportLedger()).statusCode).toBe(200);
    expect((await exportLedger()).statusCode).toBe(429);
  });

  it('counts the banquet filing (page and GraphQL) against the public budget of the address, signed in or not', async () => {
    const ip = '203.0.113.41';
    expect((await get('/banquet', ip)).statusCode).toBe(200);
    const filing = `mutation { fileBanquet(input: { hostName: "Zhang", hostPhone: "13900001111", village: "Qingshan", kind: WEDDING, heldOn: "2000-01-01",
      meal: LUNCH, guests: 10, venue: "Hall", menu: "Rice", chefs: [{ name: "Liu" }], ingredients: [{ name: "Rice" }] }) { number } }`;
    // refused by validation (the date is long past), yet counted: the budget is spent before any resolver runs
    expect((await gql(filing, { ip })).status).toBe(200);
    const post = await t.app.fastify.inject({ method: 'POST', url: '/banquet', remoteAddress: ip, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'guests=1' });
    expect(post.statusCode).toBe(400);
    expect((await get('/banquet', ip)).statusCode).toBe(429);
    const signedIn = await gql(filing, { ip, token: await token(t, Role.REGULATOR) });
    expect(signedIn.status).toBe(429);
    expect((await get('/banquet', '203.0.113.42')).statusCode).toBe(200);
  });

  it('does not limit signed-in reads beyond the query limits', async () => {
    const regulator = await token(t, Role.REGULATOR);
    for (let i = 0; i < 10; i++) expect((await gql('{ me { role } }', { token: regulator })).status).toBe(200);
  });

  it('opens the budget again once the window has passed', async () => {
    await t.close();
    t = await createTestApp({ limits: { ...LOW, publicPerWindow: 1, rateWindowMs: 300 } });
    const q = '{ __typename }';
    expect((await get('/t/x')).statusCode).not.toBe(429);
    const refused = await get('/t/x');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    await new Promise((r) => setTimeout(r, 350));
    expect((await gql(q)).status).toBe(200);
  });
});
