import { forgetCachedViewers, type ViewerCache } from './viewer-cache';
import type { Config } from '../config';
import type { Context } from '../context';
import { Role } from '../entities/enums';
import { AppError, badInput, conflict, forbidden, notFound, unauthenticated } from '../errors';
import * as v from '../validation';
import type { Db } from '../context';
import { accountById, insertAccount, replaceTokenHash, revokeAccountRow, viewerByTokenHash } from '../tables/account.table';
import type { AccountModel } from './account.model';
import { hashToken, newToken } from './token';
import { ANONYMOUS, type Viewer } from './viewer.model';

export interface NewAccount {
  name: string;
  role: Role;
  marketId?: string | number | null;
  operatorId?: string | number | null;
  /** Required for VILLAGE_ASSISTANT, refused for every other role: the village it sees and inspects. */
  village?: string | null;
  /** When the token stops working; defaults to TOKEN_DEFAULT_TTL_DAYS from now when that is set, else never. */
  expiresAt?: Date | null;
}

/** What account management needs: the database and, when there is one, the configuration's default token lifetime. */
export type AccountDb = Db & { config?: Pick<Config, 'tokenDefaultTtlDays'> };

const DAY_MS = 24 * 3600 * 1000;

function defaultExpiry(ctx: AccountDb, now: Date): Date | null {
  const days = ctx.config?.tokenDefaultTtlDays ?? null;
  return days === null ? null : new Date(now.getTime() + days * DAY_MS);
}

function futureDate(field: string, value: Date | null | undefined, now: Date): Date | null {
  if (value == null) return null;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw badInput(field, 'must be a date-time');
  if (value.getTime() <= now.getTime()) throw badInput(field, 'must be in the future');
  return value;
}

/** Creates an account and returns its token, which is not kept anywhere. */
export async function createAccount(ctx: AccountDb, input: NewAccount): Promise<{ account: AccountModel; token: string }> {
  const now = new Date();
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
  let village: string | null = null;
  if (input.role === Role.VILLAGE_ASSISTANT) {
    if (input.village == null) throw badInput('village', 'is required for VILLAGE_ASSISTANT');
    village = v.text('village', input.village, 100);
  } else if (input.village != null) throw badInput('village', 'is only for VILLAGE_ASSISTANT');
  const expiresAt = futureDate('expiresAt', input.expiresAt, now) ?? defaultExpiry(ctx, now);
  const token = newToken();
  const account = await insertAccount(ctx, {
    name, role: input.role, market_id: marketId, operator_id: operatorId, village, token_hash: hashToken(token), expires_at: expiresAt,
  });
  return { account, token };
}

/** May this viewer manage that account's token: an admin any, everyone else only their own. */
function assertManages(viewer: Viewer | null, accountId: number): void {
  if (!viewer) return; // the command line (npm run admin) runs as the host's administrator
  if (!viewer.role) throw unauthenticated();
  if (viewer.role === Role.ADMIN || viewer.accountId === accountId) return;
  throw forbidden('Only an admin may manage another account');
}

/** Revokes an account: its token stops working at once, for good. Revoking it again changes nothing. */
export async function revokeAccount(ctx: AccountDb & { viewer?: Viewer }, rawId: string | number): Promise<AccountModel> {
  const id = v.id('id', rawId);
  if (ctx.viewer && ctx.viewer.role !== Role.ADMIN) throw forbidden('Only an admin may revoke an account');
  const account = await revokeAccountRow(ctx, id);
  if (!account) throw notFound('Account', id);
  forgetCachedViewers();
  return account;
}

/**
 * Gives an account a new token, returned only this once; the old one stops working at once. The expiry stays unless
 * an admin gives a new one (or TOKEN_DEFAULT_TTL_DAYS is set and an admin rotates), so an account holder cannot
 * lengthen its own token's life by rotating it.
 */
export async function rotateAccountToken(
  ctx: AccountDb & { viewer?: Viewer }, rawId: string | number, rawExpiresAt: Date | null = null,
): Promise<{ account: AccountModel; token: string }> {
  const now = new Date();
  const id = v.id('id', rawId);
  const viewer = ctx.viewer ?? null;
  assertManages(viewer, id);
  const byAdmin = !viewer || viewer.role === Role.ADMIN;
  if (rawExpiresAt != null && !byAdmin) throw forbidden("Only an admin may set a token's expiry");
  const current = await accountById(ctx, id);
  if (!current) throw notFound('Account', id);
  if (current.revokedAt) throw conflict(`Account ${id} is revoked; create a new account instead`);
  let expiresAt = futureDate('expiresAt', rawExpiresAt, now) ?? (byAdmin ? defaultExpiry(ctx, now) : null) ?? current.expiresAt;
  if (expiresAt && expiresAt.getTime() <= now.getTime()) {
    if (!byAdmin) throw unauthenticated('The bearer token has expired');
    throw badInput('expiresAt', "the account's expiry has passed; give a new one");
  }
  expiresAt ??= null;
  const token = newToken();
  const account = await replaceTokenHash(ctx, id, hashToken(token), expiresAt);
  // revoked between the read and the update
  if (!account) throw conflict(`Account ${id} is revoked; create a new account instead`);
  forgetCachedViewers();
  return { account, token };
}

/** The account behind the signed-in viewer. */
export async function ownAccount(ctx: Context): Promise<AccountModel> {
  if (ctx.viewer.accountId === null) throw unauthenticated();
  const account = await accountById(ctx, ctx.viewer.accountId);
  if (!account) throw unauthenticated();
  return account;
}

/**
 * Resolves a bearer token to its viewer; unknown or revoked tokens give null. An expired token is UNAUTHENTICATED
 * (HTTP 401) with a message saying so, so a client asks its holder to sign in again rather than retrying.
 */
export async function viewerForToken(ctx: Db, token: string, cache?: ViewerCache): Promise<Viewer | null> {
  if (!/^ft_[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const hash = hashToken(token);
  const cached = cache?.get(hash);
  if (cached) return cached;
  const found = await viewerByTokenHash(ctx, hash);
  if (!found) return null;
  if (found.expired) {
    const error: AppError = unauthenticated(`The bearer token expired at ${found.expiredAt.toISOString()}; ask for a new one`);
    error.extensions.http = { status: 401 };
    throw error;
  }
  cache?.set(hash, found.viewer, found.expiresAt);
  return found.viewer;
}

export { ANONYMOUS };
