import type { EntityManager } from '@mikro-orm/postgresql';
import { Account, Market, Operator, Role } from '../entities';
import { badInput, notFound } from '../errors';
import * as v from '../validation';
import type { Db } from '../context';
import { viewerByTokenHash } from '../tables/account.table';
import { hashToken, newToken } from './token';
import { ANONYMOUS, type Viewer } from './viewer.model';

export interface NewAccount {
  name: string;
  role: Role;
  marketId?: string | number | null;
  operatorId?: string | number | null;
}

/** Creates an account and returns its token, which is not kept anywhere. */
export async function createAccount(em: EntityManager, input: NewAccount): Promise<{ account: Account; token: string }> {
  const name = v.text('name', input.name, 200);
  if (!Object.values(Role).includes(input.role)) throw badInput('role', `must be one of ${Object.values(Role).join(', ')}`);
  const account = em.create(Account, { name, role: input.role, tokenHash: '', market: null, operator: null });
  if (input.role === Role.GATE_STAFF) {
    if (input.marketId == null) throw badInput('marketId', 'is required for GATE_STAFF');
    const marketId = v.id('marketId', input.marketId);
    account.market = (await em.findOne(Market, marketId)) ?? (() => { throw notFound('Market', marketId); })();
  } else if (input.marketId != null) throw badInput('marketId', 'is only for GATE_STAFF');
  if (input.role === Role.OPERATOR) {
    if (input.operatorId == null) throw badInput('operatorId', 'is required for OPERATOR');
    const operatorId = v.id('operatorId', input.operatorId);
    account.operator = (await em.findOne(Operator, operatorId)) ?? (() => { throw notFound('Operator', operatorId); })();
  } else if (input.operatorId != null) throw badInput('operatorId', 'is only for OPERATOR');
  const token = newToken();
  account.tokenHash = hashToken(token);
  await em.persistAndFlush(account);
  return { account, token };
}

/** Resolves a bearer token to its viewer; unknown or revoked tokens give null. */
export async function viewerForToken(ctx: Db, token: string): Promise<Viewer | null> {
  if (!/^ft_[A-Za-z0-9_-]{43}$/.test(token)) return null;
  return viewerByTokenHash(ctx, hashToken(token));
}

export { ANONYMOUS };
