import { createAccount } from '../../src/auth/account.service';
import { Role } from '../../src/entities/enums';
import { uscc } from '../../seeds/town';
import type { TestApp } from './app';

let serial = 0;
const next = () => ++serial;

/** A valid unified social credit code, different on every call. */
export function newCreditCode(): string {
  return uscc(`91330782MA${String(next()).padStart(7, '0')}`);
}

export async function token(t: TestApp, role: Role, ids: { marketId?: number | string; operatorId?: number | string; village?: string } = {}): Promise<string> {
  const { token } = await createAccount({ em: t.orm.em.fork() }, { name: `${role} ${next()}`, role, ...ids });
  return token;
}

/** Fails the test with the server's errors when an operation did not succeed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function ok(res: { data: any; errors?: unknown[] }): any {
  if (res.errors?.length || !res.data) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
  return res.data;
}

export interface Fixture {
  admin: string;
  regulator: string;
}

export async function fixture(t: TestApp): Promise<Fixture> {
  return { admin: await token(t, Role.ADMIN), regulator: await token(t, Role.REGULATOR) };
}

export async function makeOperator(t: TestApp, admin: string, over: Record<string, unknown> = {}): Promise<{ id: string; publicCode: string; name: string }> {
  const n = next();
  const res = await t.gql(
    `mutation($input: RegisterOperatorInput!) { registerOperator(input: $input) { id publicCode name } }`,
    { input: { kind: 'FARM', name: `Farm ${n}`, creditCode: newCreditCode(), village: 'Qingshan', contactPerson: 'Wang', contactPhone: '13800000000', ...over } },
    admin,
  );
  return ok(res).registerOperator;
}

export async function makeMarket(t: TestApp, admin: string, name = `Market ${next()}`): Promise<{ id: string }> {
  const res = await t.gql(`mutation($input: RegisterMarketInput!) { registerMarket(input: $input) { id } }`, { input: { name } }, admin);
  return ok(res).registerMarket;
}

export interface BatchRef {
  id: string;
  publicCode: string;
  quantity: number;
  remaining: number;
  unit: string;
}

export async function makeBatch(t: TestApp, admin: string, ownerId: string, over: Record<string, unknown> = {}): Promise<BatchRef> {
  const n = next();
  const res = await t.gql(
    `mutation($input: CreateBatchInput!) { createBatch(input: $input) { id publicCode quantity remaining unit } }`,
    {
      input: {
        ownerId, productName: 'Bok choy', category: 'VEGETABLE', lotCode: `LOT-${n}`, quantity: 100, unit: 'KG',
        producedAt: '2026-11-01T06:00:00.000Z', ...over,
      },
    },
    admin,
  );
  return ok(res).createBatch;
}

export async function makeCertificate(t: TestApp, tokenValue: string, batchId: string, over: Record<string, unknown> = {}): Promise<{ id: string; number: string }> {
  const res = await t.gql(
    `mutation($input: IssueCertificateInput!) { issueCertificate(input: $input) { id number } }`,
    { input: { batchId, bases: ['SELF_TEST'], ...over } },
    tokenValue,
  );
  return ok(res).issueCertificate;
}

export interface MarketScene {
  market: string;
  /** A gate clerk of `market`. */
  gate: string;
  farm: { id: string; publicCode: string; name: string };
  farmToken: string;
  vendor: { id: string; publicCode: string; name: string };
}

/** A market with its gate clerk, a farm that can act for itself and a market vendor: the cast of a gate scene. */
export async function makeMarketScene(t: TestApp, admin: string): Promise<MarketScene> {
  const market = (await makeMarket(t, admin, 'Qingshan market')).id;
  const gate = await token(t, Role.GATE_STAFF, { marketId: market });
  const farm = await makeOperator(t, admin, { name: 'Green Valley Farm', village: 'Qingshan' });
  const vendor = await makeOperator(t, admin, { kind: 'MARKET_VENDOR', name: 'Stall 12' });
  const farmToken = await token(t, Role.OPERATOR, { operatorId: farm.id });
  return { market, gate, farm, farmToken, vendor };
}
