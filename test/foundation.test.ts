import { Role } from '../src/entities/enums';
import { useTestApp } from './support/use-test-app';
import { makeBatch, makeMarket, makeOperator, newCreditCode, ok, token } from './support/factories';

const { t, f } = useTestApp();

const REGISTER = `mutation($input: RegisterOperatorInput!) { registerOperator(input: $input) { id kind name creditCode registrationCardNo village contactPhone status credit { score grade } } }`;

describe('registerOperator', () => {
  it('registers an operator with a valid credit code and starts it at 100 / A', async () => {
    const code = newCreditCode();
    const res = await t.gql(REGISTER, { input: { kind: 'COOPERATIVE', name: '  Taoyuan Coop  ', creditCode: code.toLowerCase(), village: 'Taoyuan', contactPhone: '13800000009' } }, f.regulator);
    expect(ok(res).registerOperator).toEqual({
      id: '1', kind: 'COOPERATIVE', name: 'Taoyuan Coop', creditCode: code, registrationCardNo: null, village: 'Taoyuan',
      contactPhone: '13800000009', status: 'ACTIVE', credit: { score: 100, grade: 'A' },
    });
  });

  it('issues a town registration-card number to a street vendor without a credit code', async () => {
    const res = await t.gql(REGISTER, { input: { kind: 'STREET_VENDOR', name: 'Li noodles' } }, f.admin);
    const op = ok(res).registerOperator;
    expect(op.creditCode).toBeNull();
    expect(op.registrationCardNo).toBe(`BA${new Date().getUTCFullYear()}000001`);
  });

  it.each([
    [{ creditCode: '91330782MA2D000117' }, 'creditCode', 'creditCode: check digit does not match (GB 32100)'],
    [{ creditCode: 'IIII' }, 'creditCode', 'creditCode: must be 18 characters of the GB 32100 alphabet'],
    [{ creditCode: null, kind: 'WHOLESALER' }, 'creditCode', 'creditCode: is required for WHOLESALER (only farms, small workshops and vendors may register with a town card)'],
    [{ name: '   ' }, 'name', 'name: must not be empty'],
    [{ name: 'x'.repeat(201) }, 'name', 'name: must be at most 200 characters'],
    [{ name: 'bad\u0000name' }, 'name', 'name: must not contain control characters'],
    [{ contactPhone: '<script>' }, 'contactPhone', 'contactPhone: must be a phone number'],
  ])('rejects %j naming the field', async (over, field, message) => {
    const res = await t.gql(REGISTER, { input: { kind: 'FARM', name: 'Farm', creditCode: newCreditCode(), ...over } }, f.admin);
    expect(res.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(res.errors?.[0].message).toBe(message);
    expect(await t.sql('select count(*)::int as n from operator')).toEqual([{ n: 0 }]);
  });

  it('refuses a credit code registered twice', async () => {
    const code = newCreditCode();
    ok(await t.gql(REGISTER, { input: { kind: 'FARM', name: 'A', creditCode: code } }, f.admin));
    const res = await t.gql(REGISTER, { input: { kind: 'FARM', name: 'B', creditCode: code } }, f.admin);
    expect(res.errors?.[0].message).toBe('creditCode: is already registered');
  });

  it('is refused to anonymous callers and to operators', async () => {
    const anon = await t.gql(REGISTER, { input: { kind: 'FARM', name: 'A', creditCode: newCreditCode() } });
    expect(anon.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const farm = await makeOperator(t, f.admin);
    const opToken = await token(t, Role.OPERATOR, { operatorId: farm.id });
    const denied = await t.gql(REGISTER, { input: { kind: 'FARM', name: 'A', creditCode: newCreditCode() } }, opToken);
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('rejects an unknown bearer token as UNAUTHENTICATED', async () => {
    const res = await t.gql('{ me { id } }', {}, 'ft_' + 'x'.repeat(43));
    expect(res.status).toBe(401);
    expect(res.errors).toEqual([{ message: 'The bearer token is unknown or revoked', extensions: { code: 'UNAUTHENTICATED' } }]);
  });
});

describe('operator and operators', () => {
  it('pages through operators by keyset with a filter', async () => {
    for (let i = 0; i < 5; i++) await makeOperator(t, f.admin, { kind: i % 2 ? 'FARM' : 'DAIRY_FARM', name: `Op ${i}` });
    const Q = `query($after: String) { operators(filter: { kind: FARM }, first: 1, after: $after) { edges { node { name } } pageInfo { hasNextPage endCursor } } }`;
    const p1 = ok(await t.gql(Q, {}, f.regulator)).operators;
    expect(p1.edges.map((e: any) => e.node.name)).toEqual(['Op 1']);
    expect(p1.pageInfo.hasNextPage).toBe(true);
    const p2 = ok(await t.gql(Q, { after: p1.pageInfo.endCursor }, f.regulator)).operators;
    expect(p2.edges.map((e: any) => e.node.name)).toEqual(['Op 3']);
    expect(p2.pageInfo.hasNextPage).toBe(false);
    const bad = await t.gql(Q, { after: 'garbage' }, f.regulator);
    expect(bad.errors?.[0].message).toBe('after: is not a valid cursor');
  });

  it('limits page size to 100', async () => {
    const res = await t.gql(`{ operators(first: 101) { edges { cursor } } }`, {}, f.regulator);
    expect(res.errors?.[0].message).toBe('first: must be between 1 and 100');
  });

  it('lets an operator account read only its own operator', async () => {
    const a = await makeOperator(t, f.admin);
    const b = await makeOperator(t, f.admin);
    const tok = await token(t, Role.OPERATOR, { operatorId: a.id });
    expect(ok(await t.gql(`query($id: ID!) { operator(id: $id) { id credit { score grade forcedUntil } } }`, { id: a.id }, tok)).operator)
      .toEqual({ id: a.id, credit: { score: 100, grade: 'A', forcedUntil: null } });
    const res = await t.gql(`query($id: ID!) { operator(id: $id) { id } }`, { id: b.id }, tok);
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const missing = await t.gql(`query { operator(id: "999") { id } }`, {}, f.regulator);
    expect(missing.errors?.[0]).toMatchObject({ message: 'Operator 999 not found', extensions: { code: 'NOT_FOUND' } });
  });
});

describe('batches and certificates', () => {
  it('creates a batch with an unguessable public code and a trace URL', async () => {
    const farm = await makeOperator(t, f.admin, { village: 'Qingshan' });
    const tok = await token(t, Role.OPERATOR, { operatorId: farm.id });
    const res = await t.gql(
      `mutation($input: CreateBatchInput!) { createBatch(input: $input) { id lotCode quantity remaining unit originPlace status publicCode traceUrl owner { name grade } } }`,
      { input: { ownerId: farm.id, productName: 'Spinach', category: 'VEGETABLE', lotCode: 'QS-1', quantity: 12.5, unit: 'KG', producedAt: '2026-11-01T00:00:00Z' } },
      tok,
    );
    const b = ok(res).createBatch;
    expect(b).toMatchObject({ lotCode: 'QS-1', quantity: 12.5, remaining: 12.5, unit: 'KG', originPlace: 'Qingshan', status: 'ACTIVE', owner: { name: farm.name, grade: 'A' } });
    expect(b.publicCode).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(b.traceUrl).toBe(`http://foodtrace.test/t/${b.publicCode}`);
  });

  it('refuses a lot code used twice by the same owner but not by another', async () => {
    const a = await makeOperator(t, f.admin);
    const b = await makeOperator(t, f.admin);
    await makeBatch(t, f.admin, a.id, { lotCode: 'L1' });
    await makeBatch(t, f.admin, b.id, { lotCode: 'L1' });
    const res = await t.gql(`mutation($input: CreateBatchInput!) { createBatch(input: $input) { id } }`,
      { input: { ownerId: a.id, productName: 'X', category: 'FRUIT', lotCode: 'L1', quantity: 1, unit: 'KG', producedAt: '2026-11-01T00:00:00Z' } }, f.admin);
    expect(res.errors?.[0]).toMatchObject({ message: 'lotCode: "L1" is already used by this operator', extensions: { code: 'BAD_USER_INPUT', field: 'lotCode' } });
  });

  it.each([
    [{ quantity: 0 }, 'quantity: must be a positive number'],
    [{ quantity: -3 }, 'quantity: must be a positive number'],
    [{ quantity: 1.2345 }, 'quantity: must have at most 3 decimal places'],
    [{ producedAt: '2999-01-01T00:00:00Z' }, 'producedAt: must not be in the future'],
    [{ gtin: '06901234567891' }, 'gtin: check digit does not match (GS1)'],
    [{ lotCode: 'a b' }, 'lotCode: may contain only letters, digits, ".", "_", "-" and "/"'],
  ])('rejects %j', async (over, message) => {
    const a = await makeOperator(t, f.admin);
    const res = await t.gql(`mutation($input: CreateBatchInput!) { createBatch(input: $input) { id } }`,
      { input: { ownerId: a.id, productName: 'X', category: 'FRUIT', lotCode: 'L1', quantity: 1, unit: 'KG', producedAt: '2026-11-01T00:00:00Z', ...over } }, f.admin);
    expect(res.errors?.[0].message).toBe(message);
    expect(await t.sql('select count(*)::int as n from batch')).toEqual([{ n: 0 }]);
  });

  it('rejects a unit outside the fixed set', async () => {
    const a = await makeOperator(t, f.admin);
    const res = await t.gql(`mutation($input: CreateBatchInput!) { createBatch(input: $input) { id } }`,
      { input: { ownerId: a.id, productName: 'X', category: 'FRUIT', lotCode: 'L1', quantity: 1, unit: 'POUND', producedAt: '2026-11-01T00:00:00Z' } }, f.admin);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toMatch(/Value "POUND" does not exist in "QuantityUnit" enum/);
  });

  it('does not let an operator create a batch for another operator', async () => {
    const a = await makeOperator(t, f.admin);
    const b = await makeOperator(t, f.admin);
    const tok = await token(t, Role.OPERATOR, { operatorId: a.id });
    const res = await t.gql(`mutation($input: CreateBatchInput!) { createBatch(input: $input) { id } }`,
      { input: { ownerId: b.id, productName: 'X', category: 'FRUIT', lotCode: 'L1', quantity: 1, unit: 'KG', producedAt: '2026-11-01T00:00:00Z' } }, tok);
    expect(res.errors?.[0]).toMatchObject({ message: 'This account may not act for that operator', extensions: { code: 'FORBIDDEN' } });
  });

  it('issues and revokes a certificate; gate staff may not issue', async () => {
    const farm = await makeOperator(t, f.admin);
    const market = await makeMarket(t, f.admin);
    const batch = await makeBatch(t, f.admin, farm.id, { quantity: 80 });
    const owner = await token(t, Role.OPERATOR, { operatorId: farm.id });
    const gate = await token(t, Role.GATE_STAFF, { marketId: market.id });
    const ISSUE = `mutation($input: IssueCertificateInput!) { issueCertificate(input: $input) { id number quantity quantityRemaining unit bases status testReference } }`;
    const denied = await t.gql(ISSUE, { input: { batchId: batch.id, bases: ['SELF_TEST'] } }, gate);
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const noRef = await t.gql(ISSUE, { input: { batchId: batch.id, bases: ['COMMISSIONED_TEST'] } }, owner);
    expect(noRef.errors?.[0].message).toBe('testReference: is required when the basis includes COMMISSIONED_TEST');
    const tooMuch = await t.gql(ISSUE, { input: { batchId: batch.id, bases: ['SELF_TEST'], quantity: 81 } }, owner);
    expect(tooMuch.errors?.[0].message).toBe('quantity: must not exceed the batch quantity 80 KG');
    const cert = ok(await t.gql(ISSUE, { input: { batchId: batch.id, bases: ['SELF_TEST', 'INTERNAL_QC', 'SELF_TEST'] } }, owner)).issueCertificate;
    expect(cert).toMatchObject({ quantity: 80, quantityRemaining: 80, unit: 'KG', bases: ['SELF_TEST', 'INTERNAL_QC'], status: 'VALID', testReference: null });
    expect(cert.number).toMatch(/^CN\d{8}[0-9A-Z]{8}$/);
    const REVOKE = `mutation($id: ID!) { revokeCertificate(id: $id, reason: "mislabelled") { status revokeReason } }`;
    expect(ok(await t.gql(REVOKE, { id: cert.id }, f.regulator)).revokeCertificate).toEqual({ status: 'REVOKED', revokeReason: 'mislabelled' });
    const again = await t.gql(REVOKE, { id: cert.id }, f.regulator);
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
  });
});

describe('accounts', () => {
  it('creates a gate account whose token works once shown', async () => {
    const market = await makeMarket(t, f.admin);
    const res = ok(await t.gql(`mutation($input: CreateAccountInput!) { createAccount(input: $input) { token account { role marketId } } }`,
      { input: { name: 'Clerk', role: 'GATE_STAFF', marketId: market.id } }, f.admin)).createAccount;
    expect(res.account).toEqual({ role: 'GATE_STAFF', marketId: market.id });
    expect(ok(await t.gql('{ me { name role } }', {}, res.token)).me).toEqual({ name: 'Clerk', role: 'GATE_STAFF' });
    const rows = await t.sql('select token_hash from account where name = $1', ['Clerk']);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].token_hash).not.toContain(res.token);
    const missingMarket = await t.gql(`mutation($input: CreateAccountInput!) { createAccount(input: $input) { token } }`,
      { input: { name: 'Clerk', role: 'GATE_STAFF' } }, f.admin);
    expect(missingMarket.errors?.[0].message).toBe('marketId: is required for GATE_STAFF');
  });
});
