import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Role } from '../../src/entities/enums';
import { useTestApp } from '../support/use-test-app';
import { ok, token } from '../support/factories';

const { t, f } = useTestApp();

const ME = '{ me { id name role expiresAt revokedAt lastUsedAt } }';
const accountIdOf = async (tk: string) => Number(ok(await t.gql(ME, {}, tk)).me.id);

describe('revoking an account', () => {
  it('stops its token at once, for good; only an admin may revoke', async () => {
    const clerk = await token(t, Role.REGULATOR);
    const id = await accountIdOf(clerk);
    const refused = await t.gql(`mutation { revokeAccount(id: "${id}") { id } }`, {}, clerk);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const revoked = ok(await t.gql(`mutation { revokeAccount(id: "${id}") { id role revokedAt } }`, {}, f.admin)).revokeAccount;
    expect(revoked).toEqual({ id: String(id), role: 'REGULATOR', revokedAt: expect.stringMatching(/^\d{4}-/) });
    const after = await t.gql(ME, {}, clerk);
    expect(after.status).toBe(401);
    expect(after.errors).toEqual([{ message: 'The bearer token is unknown or revoked', extensions: { code: 'UNAUTHENTICATED' } }]);
    // revoking again keeps the first time
    const again = ok(await t.gql(`mutation { revokeAccount(id: "${id}") { revokedAt } }`, {}, f.admin)).revokeAccount;
    expect(again.revokedAt).toBe(revoked.revokedAt);
    // a revoked account gets no new token
    const rotated = await t.gql(`mutation { rotateAccountToken(id: "${id}") { token } }`, {}, f.admin);
    expect(rotated.errors?.[0]).toEqual({ message: `Account ${id} is revoked; create a new account instead`, extensions: { code: 'CONFLICT' }, path: ['rotateAccountToken'], locations: expect.any(Array) });
    expect((await t.gql(`mutation { revokeAccount(id: "999999") { id } }`, {}, f.admin)).errors?.[0].message).toBe('Account 999999 not found');
  });
});

describe('rotating a token', () => {
  it('returns a new token once; the old one stops working; an account may rotate its own, not another', async () => {
    const old = await token(t, Role.REGULATOR);
    const other = await token(t, Role.REGULATOR);
    const id = await accountIdOf(old);
    expect((await t.gql(`mutation { rotateAccountToken(id: "${await accountIdOf(other)}") { token } }`, {}, old)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // only an admin sets an expiry: a holder cannot lengthen its own token's life
    const lengthen = await t.gql(`mutation { rotateAccountToken(id: "${id}", expiresAt: "2099-01-01T00:00:00Z") { token } }`, {}, old);
    expect(lengthen.errors?.[0]).toMatchObject({ message: "Only an admin may set a token's expiry", extensions: { code: 'FORBIDDEN' } });

    const own = ok(await t.gql(`mutation { rotateAccountToken(id: "${id}") { token account { id role expiresAt } } }`, {}, old)).rotateAccountToken;
    expect(own.account).toEqual({ id: String(id), role: 'REGULATOR', expiresAt: null });
    expect(own.token).toMatch(/^ft_[A-Za-z0-9_-]{43}$/);
    expect((await t.gql(ME, {}, old)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(ok(await t.gql(ME, {}, own.token)).me.id).toBe(String(id));

    // an admin rotates any account's token and may set when it ends
    const byAdmin = ok(await t.gql(`mutation { rotateAccountToken(id: "${id}", expiresAt: "2099-01-01T00:00:00Z") { token account { expiresAt } } }`, {}, f.admin)).rotateAccountToken;
    expect(byAdmin.account.expiresAt).toBe('2099-01-01T00:00:00.000Z');
    expect((await t.gql(ME, {}, own.token)).status).toBe(401);
    expect(ok(await t.gql(ME, {}, byAdmin.token)).me.expiresAt).toBe('2099-01-01T00:00:00.000Z');
  });
});

describe('token expiry', () => {
  it('refuses an expired token as UNAUTHENTICATED saying it expired; a future one works', async () => {
    const created = ok(await t.gql(
      `mutation { createAccount(input: { name: "Short", role: REGULATOR, expiresAt: "2099-06-01T00:00:00Z" }) { token account { id expiresAt } } }`, {}, f.admin,
    )).createAccount;
    expect(created.account.expiresAt).toBe('2099-06-01T00:00:00.000Z');
    expect(ok(await t.gql('{ me { role } }', {}, created.token)).me.role).toBe('REGULATOR');

    await t.sql(`update account set expires_at = '2026-01-02T03:04:05Z' where id = $1`, [created.account.id]);
    const expired = await t.gql('{ me { role } }', {}, created.token);
    expect(expired.status).toBe(401);
    expect(expired.errors).toEqual([{ message: 'The bearer token expired at 2026-01-02T03:04:05.000Z; ask for a new one', extensions: { code: 'UNAUTHENTICATED' } }]);
    // an admin's rotation without a new expiry refuses to hand out a token that is already dead
    const stale = await t.gql(`mutation { rotateAccountToken(id: "${created.account.id}") { token } }`, {}, f.admin);
    expect(stale.errors?.[0]).toMatchObject({ message: "expiresAt: the account's expiry has passed; give a new one", extensions: { code: 'BAD_USER_INPUT' } });

    const past = await t.gql(`mutation { createAccount(input: { name: "Past", role: REGULATOR, expiresAt: "2020-01-01T00:00:00Z" }) { token } }`, {}, f.admin);
    expect(past.errors?.[0]).toMatchObject({ message: 'expiresAt: must be in the future', extensions: { code: 'BAD_USER_INPUT', field: 'expiresAt' } });
  });

  it('gives new accounts TOKEN_DEFAULT_TTL_DAYS when set', async () => {
    const saved = t.config.tokenDefaultTtlDays;
    t.config.tokenDefaultTtlDays = 30;
    try {
      const before = Date.now();
      const made = ok(await t.gql(`mutation { createAccount(input: { name: "Thirty", role: REGULATOR }) { account { expiresAt } } }`, {}, f.admin)).createAccount;
      const ends = new Date(made.account.expiresAt).getTime();
      expect(ends - before).toBeGreaterThanOrEqual(30 * 86_400_000);
      expect(ends - Date.now()).toBeLessThanOrEqual(30 * 86_400_000);
    } finally {
      t.config.tokenDefaultTtlDays = saved;
    }
  });
});

describe('last use', () => {
  it('is recorded on use, at most once a minute per account, without another statement', async () => {
    const tk = await token(t, Role.REGULATOR);
    const [{ id }] = await t.sql(`select id from account where last_used_at is null order by id desc limit 1`);
    expect(await t.countStatements(async () => ok(await t.gql('{ gradeSupervision { grade } }', {}, tk)))).toBe(1);
    const [first] = await t.sql(`select last_used_at from account where id = $1`, [id]);
    expect(first.last_used_at).toBeInstanceOf(Date);
    // a busy phone: used again at once, nothing is written
    await t.gql('{ gradeSupervision { grade } }', {}, tk);
    expect((await t.sql(`select last_used_at from account where id = $1`, [id]))[0].last_used_at).toEqual(first.last_used_at);
    // a minute later it is written again
    await t.sql(`update account set last_used_at = last_used_at - interval '61 seconds' where id = $1`, [id]);
    const [{ last_used_at: aged }] = await t.sql(`select last_used_at from account where id = $1`, [id]);
    await t.gql('{ gradeSupervision { grade } }', {}, tk);
    const [{ last_used_at: now }] = await t.sql(`select last_used_at from account where id = $1`, [id]);
    expect(now.getTime()).toBeGreaterThan(aged.getTime() + 60_000);
    expect(ok(await t.gql(ME, {}, tk)).me.lastUsedAt).toBe(now.toISOString());
  });
});

describe('npm run admin', () => {
  const run = (args: string[]) =>
    promisify(execFile)(process.execPath, ['-r', '@swc-node/register', 'src/admin.ts', ...args], {
      cwd: join(__dirname, '..', '..'), env: { ...process.env, DATABASE_URL: t.url, NODE_ENV: 'test' },
    }).then((r) => ({ code: 0, ...r }), (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }));

  it('rotates and revokes from the command line; the new token is the only thing on standard output', async () => {
    const old = await token(t, Role.REGULATOR);
    const id = await accountIdOf(old);
    const rotated = await run(['rotate-token', '--id', String(id)]);
    expect(rotated.code).toBe(0);
    const fresh = rotated.stdout.trim();
    expect(fresh).toMatch(/^ft_[A-Za-z0-9_-]{43}$/);
    expect(rotated.stderr).toContain(`New token for REGULATOR account ${id}`);
    expect((await t.gql(ME, {}, old)).status).toBe(401);
    expect(ok(await t.gql(ME, {}, fresh)).me.id).toBe(String(id));

    const revoked = await run(['revoke-account', '--id', String(id)]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toBe('');
    expect(revoked.stderr).toMatch(new RegExp(`Revoked REGULATOR account ${id} ".*" at \\d{4}-.*; its token no longer works\\.`));
    expect((await t.gql(ME, {}, fresh)).status).toBe(401);

    expect((await run(['revoke-account'])).code).toBe(2);
    const missing = await run(['rotate-token', '--id', '999999']);
    expect({ code: missing.code, stdout: missing.stdout }).toEqual({ code: 1, stdout: '' });
    expect(missing.stderr).toContain('Account 999999 not found');
  }, 60_000);
});
