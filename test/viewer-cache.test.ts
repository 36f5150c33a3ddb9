import { Role } from '../src/entities/enums';
import { DEFAULT_LIMITS } from '../src/config';
import { createTestApp, type TestApp } from './support/app';
import { ok, token } from './support/factories';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ limits: { ...DEFAULT_LIMITS, viewerCacheMs: 800 } }, { viewerCache: true });
});
afterAll(async () => t.close());
beforeEach(async () => t.reset());

const ME = '{ me { id role } }';
const lookups = () => t.statements.filter((s) => s.includes('with found as')).length;
const status = async (bearer: string) => (await t.gql(ME, {}, bearer)).errors?.[0]?.extensions?.code ?? 'OK';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the viewer of a bearer token, kept briefly', () => {
  it('is looked up once for a burst of requests with one token', async () => {
    const gate = await token(t, Role.REGULATOR);
    const before = lookups();
    for (let i = 0; i < 5; i++) ok(await t.gql(ME, {}, gate));
    expect(lookups() - before).toBe(1);
  });

  it('stops at once when the token is revoked through the API, and when it is rotated', async () => {
    const admin = await token(t, Role.ADMIN);
    const revoked = await token(t, Role.REGULATOR);
    const rotated = await token(t, Role.REGULATOR);
    const ids = await Promise.all([revoked, rotated].map(async (b) => ok(await t.gql(ME, {}, b)).me.id));
    ok(await t.gql('mutation($id: ID!) { revokeAccount(id: $id) { id } }', { id: ids[0] }, admin));
    expect(await status(revoked)).toBe('UNAUTHENTICATED');
    const fresh = ok(await t.gql('mutation($id: ID!) { rotateAccountToken(id: $id) { token } }', { id: ids[1] }, admin)).rotateAccountToken.token;
    expect([await status(rotated), await status(fresh)]).toEqual(['UNAUTHENTICATED', 'OK']);
  });

  it('is honoured for at most the cache time after the account was revoked behind the server\'s back', async () => {
    const bearer = await token(t, Role.REGULATOR);
    expect(await status(bearer)).toBe('OK');
    await t.sql('update account set revoked_at = now()');
    // another process revoking it would look the same to this one: the kept viewer answers until it runs out
    expect(await status(bearer)).toBe('OK');
    await sleep(900);
    expect(await status(bearer)).toBe('UNAUTHENTICATED');
  });

  it('is never kept past the token\'s own expiry', async () => {
    const bearer = await token(t, Role.REGULATOR);
    await t.sql(`update account set expires_at = now() + interval '300 milliseconds'`);
    expect(await status(bearer)).toBe('OK');
    await sleep(400);
    const res = await t.gql(ME, {}, bearer);
    expect([res.status, res.errors?.[0]?.extensions?.code, res.errors?.[0]?.message]).toEqual([401, 'UNAUTHENTICATED', expect.stringMatching(/^The bearer token expired at /)]);
  });
});
