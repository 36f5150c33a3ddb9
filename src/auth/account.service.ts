import { Role } from '../entities/enums';
import { badInput } from '../errors';
import * as v from '../validation';
import type { Db } from '../context';
import { insertAccount, viewerByTokenHash } from '../tables/account.table';
import type { AccountModel } from './account.model';
import { hashToken, newToken } from './token';
import { ANONYMOUS, type Viewer } from './viewer.model';

export interface NewAccount {
  name: string;
  role: Role;
  marketId?: string | number | null;
  operatorId?: string | number | null;
}

/** Creates an account and returns its token, which is not kept anywhere. */
export async function createAccount(ctx: Db, input: NewAccount): Promise<{ account: AccountModel; token: string }> {
  const name = v.text('name', input.name, 200);
  if (!Object.values(Role).includes(input.role)) throw badInput('role', `must be one of ${Object.values(Role).join(', ')}`);
  let marketId: number | null = null;
  let operatorId: number | null = null;
  if (input.role === Role.GATE_STAFF) {
    if (input.marketId == null) throw badInput('marketId', 'is required for GATE_STAFF');
    marketId = v.id('marketId', input.marketId);
  } else if (input.marketId != null) throw badInput('marketId', 'is only for GATE_STAFF');
  if (input.role === Role.OPERATOR) {
    if (input.operatorId == null) throw badInput('operatorId', 'is required for OPERATOR');
    operatorId = v.id('operatorId', input.operatorId);
  } else if (input.operatorId != null) throw badInput('operatorId', 'is only for OPERATOR');
  const token = newToken();
  const account = await insertAccount(ctx, { name, role: input.role, market_id: marketId, operator_id: operatorId, token_hash: hashToken(token) });
  return { account, token };
}

/** Resolves a bearer token to its viewer; unknown or revoked tokens give null. */
export async function viewerForToken(ctx: Db, token: string): Promise<Viewer | null> {
  if (!/^ft_[A-Za-z0-9_-]{43}$/.test(token)) return null;
  return viewerByTokenHash(ctx, hashToken(token));
}

export { ANONYMOUS };
