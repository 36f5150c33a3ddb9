import { Writable } from 'node:stream';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Role } from '../src/entities/enums';
import { loggableError } from '../src/log-safe';
import { createTestApp, type TestApp } from './support/app';
import { makeOperator, ok, token } from './support/factories';

describe('logs', () => {
  let t: TestApp;
  const lines: string[] = [];
  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    t = await createTestApp({ logLevel: 'info' }, { logStream: stream });
  });
  afterAll(async () => t.close());

  it('writes one JSON line per request, with no token and no phone number', async () => {
    const admin = await token(t, Role.ADMIN);
    lines.length = 0;
    const op = await makeOperator(t, admin, { contactPhone: '13912345678' });
    ok(await t.gql('query($id: ID!) { operator(id: $id) { contactPhone } }', { id: op.id }, admin));
    const entries = lines.map((l) => JSON.parse(l));
    expect(entries.map((e) => [e.msg, e.method, e.url, e.status])).toEqual([
      ['request', 'POST', '/graphql', 200],
      ['request', 'POST', '/graphql', 200],
    ]);
    const all = lines.join('\n');
    expect(all).not.toContain(admin);
    expect(all).not.toContain('13912345678');
  });

  it('keeps SQL parameters of a driver error out of the log', async () => {
    const admin = await token(t, Role.ADMIN);
    const op = await makeOperator(t, admin, { contactPhone: '13912345678' });
    const em = t.orm.em.fork();
    let caught: unknown;
    try {
      await em.execute(`insert into operator (kind, name, credit_code, contact_phone, public_code) select kind, name, credit_code, '13912345678', 'x' from operator where id = ?`, [Number(op.id)]);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UniqueConstraintViolationException);
    expect(String((caught as Error).message)).toContain('13912345678');
    expect(loggableError(caught)).toEqual({ type: 'UniqueConstraintViolationException', code: '23505', constraint: 'operator_credit_code_key', table: 'operator' });
  });

  it('redacts tokens and digit runs from other errors', () => {
    expect(loggableError(new Error('bad ft_abcdefghijklmnopqrstuvwxyz0123 for 139 1234 5678'))).toMatchObject({
      type: 'Error',
      message: 'bad ft_[redacted] for [digits]',
    });
  });
});
