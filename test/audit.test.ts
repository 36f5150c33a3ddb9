import { auditRetentionDays, DEFAULT_AUDIT_RETENTION_DAYS } from '../src/audit/retention';
import { purgeExpiredAuditEvents } from '../src/audit/audit.service';
import { maskVariables } from '../src/audit/mask';
import { AuditWriter } from '../src/audit/audit-writer';
import type { NewAuditEvent } from '../src/audit/audit.model';
import { AuditKind } from '../src/entities/enums';
import { Role } from '../src/entities/enums';
import { useTestApp } from './support/use-test-app';
import { makeOperator, newCreditCode, ok, token } from './support/factories';

const { t, f } = useTestApp();

const REGISTER = `mutation($input: RegisterOperatorInput!) { registerOperator(input: $input) { id } }`;
const OPERATOR = `query($id: ID!) { operator(id: $id) { id name contactPerson contactPhone } }`;
const AUDIT = `query($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id at accountId role kind operation variables outcome personalData { type field id } clientIp } }
    pageInfo { hasNextPage endCursor }
  }
}`;

async function rows() {
  return t.sql(`select account_id, role, kind, operation, variables, outcome, personal_data from audit_event order by id`);
}
async function accountOf(tok: string): Promise<number> {
  const me = ok(await t.gql(`{ me { id } }`, {}, tok)).me;
  return Number(me.id);
}

describe('audit trail: what is recorded', () => {
  it('records a mutation once: who, which operation, its variables with personal data masked, and the outcome', async () => {
    const creditCode = newCreditCode();
    const res = ok(await t.gql(REGISTER, { input: { kind: 'FARM', name: 'Audit Farm', creditCode, village: 'Qingshan', contactPerson: 'Wang Wu', contactPhone: '13811112222' } }, f.regulator));
    const regulatorId = await accountOf(f.regulator);
    expect(await rows()).toEqual([
      {
        account_id: regulatorId, role: 'REGULATOR', kind: 'MUTATION', operation: 'registerOperator', outcome: 'OK', personal_data: [],
        variables: { input: { kind: 'FARM', name: 'Audit Farm', creditCode, village: 'Qingshan', contactPerson: '***', contactPhone: '***' } },
      },
    ]);
    expect(JSON.stringify(await t.sql(`select * from audit_event`))).not.toContain('13811112222');
    expect(res.registerOperator.id).toEqual(expect.any(String));
  });

  it('records refused mutations with their error code, anonymous ones without an account', async () => {
    const op = await makeOperator(t, f.admin);
    const gate = await token(t, Role.GATE_STAFF, { marketId: (await t.sql(`insert into market (name) values ('M') returning id`))[0].id });
    const before = (await rows()).length;
    const refused = await t.gql(`mutation($id: ID!) { setOperatorStatus(id: $id, status: SUSPENDED) { id } }`, { id: op.id }, gate);
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const anonymous = await t.gql(`mutation($id: ID!) { setOperatorStatus(id: $id, status: SUSPENDED) { id } }`, { id: op.id });
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    const gateId = await accountOf(gate);
    expect((await rows()).slice(before)).toEqual([
      { account_id: gateId, role: 'GATE_STAFF', kind: 'MUTATION', operation: 'setOperatorStatus', variables: { id: op.id }, outcome: 'FORBIDDEN', personal_data: [] },
      { account_id: null, role: null, kind: 'MUTATION', operation: 'setOperatorStatus', variables: { id: op.id }, outcome: 'UNAUTHENTICATED', personal_data: [] },
    ]);
  });

  it('records every read of a personal-data field, in one insert per request; reads without them record nothing', async () => {
    const a = await makeOperator(t, f.admin);
    const b = await makeOperator(t, f.admin);
    const before = (await rows()).length;
    ok(await t.gql(`query($id: ID!) { operator(id: $id) { id name village } }`, { id: a.id }, f.regulator));
    expect((await rows()).length).toBe(before);

    const from = t.statements.length;
    ok(await t.gql(`{ operators(first: 10) { edges { node { id contactPerson contactPhone } } } }`, {}, f.regulator));
    expect(t.statements.slice(from).filter((s) => s.includes('insert into audit_event')).length).toBe(1);
    const regulatorId = await accountOf(f.regulator);
    const [read] = (await rows()).slice(before);
    expect(read).toEqual({
      account_id: regulatorId, role: 'REGULATOR', kind: 'READ', operation: 'operators', variables: {}, outcome: 'OK',
      personal_data: [
        { type: 'Operator', field: 'contactPerson', id: Number(a.id) }, { type: 'Operator', field: 'contactPhone', id: Number(a.id) },
        { type: 'Operator', field: 'contactPerson', id: Number(b.id) }, { type: 'Operator', field: 'contactPhone', id: Number(b.id) },
      ],
    });
  });

  it('masks secrets and personal data at any depth, and a person’s name only where the operation names a person', () => {
    expect(maskVariables({ input: { name: 'Li Lei', role: 'REGULATOR' } }, ['createAccount'])).toEqual({ input: { name: '***', role: 'REGULATOR' } });
    expect(maskVariables({ input: { name: 'Green Farm', token: 'abc', items: [{ tester: 'Zhou', value: 1 }], contactPhone: null } }, ['registerOperator']))
      .toEqual({ input: { name: 'Green Farm', token: '***', items: [{ tester: '***', value: 1 }], contactPhone: null } });
    expect(maskVariables({ reason: 'x'.repeat(500) }, ['recordCreditEvent'])).toEqual({ reason: `${'x'.repeat(200)}…` });
    expect(maskVariables(undefined, [])).toEqual({});
  });
});

describe('audit trail: rows of concurrent requests committed together', () => {
  const event = (operation: string): NewAuditEvent => ({
    accountId: null, role: Role.ADMIN, kind: AuditKind.MUTATION, operation, variables: { n: operation }, outcome: 'OK', personalData: [], clientIp: '127.0.0.1',
  });
  const inserts = (from: number) => t.statements.slice(from).filter((s) => s.includes('insert into audit_event')).length;

  it('a row with no write in flight goes at once; the rows that come meanwhile go in the next statement, in the order they came', async () => {
    const writer = new AuditWriter(() => ({ em: t.orm.em.fork() }));
    const before = (await rows()).length;
    const from = t.statements.length;
    await Promise.all(Array.from({ length: 20 }, (_, i) => writer.write(event(`op${i}`))));
    expect(inserts(from)).toBe(2);
    expect((await rows()).slice(before).map((r) => r.operation)).toEqual(Array.from({ length: 20 }, (_, i) => `op${i}`));
  });

  it('a failed write fails only the rows it carried; the next group is written', async () => {
    const writer = new AuditWriter(() => ({ em: t.orm.em.fork() }));
    const before = (await rows()).length;
    // the first goes alone; the second group carries a row the table refuses (an operation over 200 characters)
    const settled = await Promise.allSettled([writer.write(event('first')), writer.write(event('x'.repeat(201))), writer.write(event('with the bad one'))]);
    const after = await Promise.allSettled([writer.write(event('next'))]);
    expect([...settled, ...after].map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((await rows()).slice(before).map((r) => r.operation)).toEqual(['first', 'next']);
  });

  it('concurrent mutations over HTTP each leave their row before they are answered', async () => {
    const before = (await rows()).length;
    const made = await Promise.all(Array.from({ length: 12 }, () => t.gql(REGISTER, {
      input: { kind: 'FARM', name: 'Concurrent Farm', creditCode: newCreditCode(), village: 'Qingshan', contactPerson: 'Wang Wu', contactPhone: '13811112222' },
    }, f.regulator)));
    const ids = made.map((res) => ok(res).registerOperator.id);
    const written = (await rows()).slice(before);
    expect(written.map((r) => [r.operation, r.outcome])).toEqual(ids.map(() => ['registerOperator', 'OK']));
  });
});

describe('audit trail: append-only, purged only past retention', () => {
  it('refuses UPDATE, DELETE and TRUNCATE, even from the owner', async () => {
    await makeOperator(t, f.admin);
    await expect(t.sql(`update audit_event set outcome = 'OK'`)).rejects.toThrow('audit_event is append-only: UPDATE refused');
    await expect(t.sql(`delete from audit_event`)).rejects.toThrow('audit_event is append-only: DELETE refused');
    await expect(t.sql(`truncate audit_event`)).rejects.toThrow('audit_event is append-only: TRUNCATE refused');
    expect((await rows()).length).toBe(1);
  });

  it('purge_audit_events deletes only rows older than the cut, and refuses a cut younger than 30 days', async () => {
    await makeOperator(t, f.admin);
    await makeOperator(t, f.admin);
    // one row made old the only way the owner can: with the row triggers held (as a restore would)
    await t.sql(`set session_replication_role = replica; update audit_event set at = now() - interval '1200 days' where id = (select min(id) from audit_event); set session_replication_role = origin`);
    await expect(t.sql(`select purge_audit_events(now() - interval '29 days')`)).rejects.toThrow('purge_audit_events keeps at least 30 days');
    expect(await t.sql(`select purge_audit_events(now() - interval '1095 days') as n`)).toEqual([{ n: 1 }]);
    expect((await rows()).length).toBe(1);
    // the flag the purge raises ends with its transaction: a plain delete afterwards is refused again
    await expect(t.sql(`delete from audit_event`)).rejects.toThrow('DELETE refused');
  });

  it('the scheduled purge cuts at AUDIT_RETENTION_DAYS before now', async () => {
    await makeOperator(t, f.admin);
    await makeOperator(t, f.admin);
    await t.sql(`set session_replication_role = replica; update audit_event set at = now() - interval '100 days' where id = (select min(id) from audit_event); set session_replication_role = origin`);
    expect(await purgeExpiredAuditEvents({ em: t.orm.em.fork() }, 365)).toBe(0);
    expect(await purgeExpiredAuditEvents({ em: t.orm.em.fork() }, 90)).toBe(1);
    await expect(purgeExpiredAuditEvents({ em: t.orm.em.fork() }, 7)).rejects.toThrow('retentionDays: must be a whole number of days ≥ 30');
    expect((await rows()).length).toBe(1);
  });

  it('reads AUDIT_RETENTION_DAYS, 1095 by default, and names a bad value', () => {
    expect(auditRetentionDays({})).toBe(DEFAULT_AUDIT_RETENTION_DAYS);
    expect(DEFAULT_AUDIT_RETENTION_DAYS).toBe(1095);
    expect(auditRetentionDays({ AUDIT_RETENTION_DAYS: '400' })).toBe(400);
    for (const bad of ['29', '1.5', 'ten', '-1', '40000']) {
      expect(() => auditRetentionDays({ AUDIT_RETENTION_DAYS: bad })).toThrow(`AUDIT_RETENTION_DAYS must be a whole number of days from 30 to 36500, got "${bad}"`);
    }
  });
});

describe('auditEvents', () => {
  it('lets ADMIN page through the trail newest first, filtered by account, operation and time', async () => {
    const a = await makeOperator(t, f.admin);
    ok(await t.gql(OPERATOR, { id: a.id }, f.regulator));
    ok(await t.gql(`mutation($id: ID!) { setOperatorStatus(id: $id, status: SUSPENDED) { id } }`, { id: a.id }, f.regulator));
    const adminId = await accountOf(f.admin);
    const regulatorId = await accountOf(f.regulator);

    const all = ok(await t.gql(AUDIT, { first: 2 }, f.admin)).auditEvents;
    expect(all.edges.map((e: { node: { operation: string; kind: string } }) => [e.node.operation, e.node.kind])).toEqual([['setOperatorStatus', 'MUTATION'], ['operator', 'READ']]);
    expect(all.pageInfo.hasNextPage).toBe(true);
    const rest = ok(await t.gql(AUDIT, { first: 2, after: all.pageInfo.endCursor }, f.admin)).auditEvents;
    expect(rest.edges.map((e: { node: { operation: string; accountId: string } }) => [e.node.operation, e.node.accountId])).toEqual([['registerOperator', String(adminId)]]);
    expect(rest.pageInfo).toEqual({ hasNextPage: false, endCursor: rest.edges[0].cursor });

    const byRegulator = ok(await t.gql(AUDIT, { filter: { accountId: String(regulatorId) } }, f.admin)).auditEvents.edges;
    expect(byRegulator.map((e: { node: { operation: string } }) => e.node.operation)).toEqual(['setOperatorStatus', 'operator']);
    expect(byRegulator[1].node.personalData).toEqual([{ type: 'Operator', field: 'contactPerson', id: a.id }, { type: 'Operator', field: 'contactPhone', id: a.id }]);
    const byOperation = ok(await t.gql(AUDIT, { filter: { operation: 'registerOperator' } }, f.admin)).auditEvents.edges;
    expect(byOperation.map((e: { node: { role: string; outcome: string } }) => [e.node.role, e.node.outcome])).toEqual([['ADMIN', 'OK']]);
    const future = ok(await t.gql(AUDIT, { filter: { from: '2999-01-01T00:00:00Z' } }, f.admin)).auditEvents.edges;
    expect(future).toEqual([]);
    const past = ok(await t.gql(AUDIT, { filter: { to: '2000-01-01T00:00:00Z' } }, f.admin)).auditEvents.edges;
    expect(past).toEqual([]);
    const bad = await t.gql(AUDIT, { filter: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } }, f.admin);
    expect(bad.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'filter.to']]);
  });

  it('refuses everyone but ADMIN', async () => {
    for (const tok of [f.regulator, null]) {
      const res = await t.gql(AUDIT, {}, tok);
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual([tok ? 'FORBIDDEN' : 'UNAUTHENTICATED']);
    }
  });
});
