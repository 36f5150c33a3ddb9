import { ForeignKeyConstraintViolationException } from '@mikro-orm/core';
import type { AccountModel } from '../auth/account.model';
import type { Db } from './table';
import type { Role } from '../entities/enums';
import type { Viewer } from '../auth/viewer.model';
import { notFound } from '../errors';
import { defineTable } from './table';
import { toDate } from './sql-time';

export interface AccountRow {
  id: number;
  name: string;
  role: Role;
  market_id: number | null;
  operator_id: number | null;
  village: string | null;
  token_hash: string;
  created_at: Date;
  revoked_at: Date | null;
  expires_at: Date | null;
  last_used_at: Date | null;
}

export const accountTable = defineTable<AccountRow>('account', {
  id: 'int4',
  name: 'varchar',
  role: 'text',
  market_id: 'int4',
  operator_id: 'int4',
  village: 'varchar',
  token_hash: 'bpchar',
  created_at: 'timestamptz',
  revoked_at: 'timestamptz',
  expires_at: 'timestamptz',
  last_used_at: 'timestamptz',
});

export function toViewer(row: Pick<AccountRow, 'id' | 'name' | 'role' | 'market_id' | 'operator_id' | 'village'>): Viewer {
  return { accountId: row.id, name: row.name, role: row.role, marketId: row.market_id, operatorId: row.operator_id, village: row.village };
}

/** Last use is written at most this often per account, so a busy gate phone does not write on every request. */
export const LAST_USE_INTERVAL = '1 minute';

/** What a token hash resolves to: the viewer of a live account, or the account whose token has expired. */
export type TokenLookup = { viewer: Viewer; expired: false; expiresAt: Date | null } | { viewer: null; expired: true; expiredAt: Date };

/**
 * The viewer of the account holding this token hash, unless it was revoked; an expired token says so. One statement:
 * a live token's last use is recorded in the same statement when the recorded one is older than a minute (the
 * condition is on the locked row, so concurrent requests write it once).
 */
export async function viewerByTokenHash(ctx: Db, tokenHash: string): Promise<TokenLookup | null> {
  const [row] = await ctx.em.execute<(AccountRow & { expired: boolean })[]>(
    `with found as (
       select id, name, role, market_id, operator_id, village, expires_at, expires_at is not null and expires_at <= now() as expired
         from account where token_hash = ? and revoked_at is null
     ), touched as (
       update account a set last_used_at = now() from found
        where a.id = found.id and not found.expired
          and (a.last_used_at is null or a.last_used_at < now() - interval '${LAST_USE_INTERVAL}')
       returning a.id
     )
     select * from found`,
    [tokenHash],
  );
  if (!row) return null;
  if (row.expired) return { viewer: null, expired: true, expiredAt: toDate(row.expires_at!) };
  return { viewer: toViewer(row), expired: false, expiresAt: toDate(row.expires_at) };
}

export function toAccount(row: AccountRow): AccountModel {
  return {
    id: row.id, name: row.name, role: row.role, marketId: row.market_id, operatorId: row.operator_id, village: row.village,
    createdAt: toDate(row.created_at), expiresAt: toDate(row.expires_at), revokedAt: toDate(row.revoked_at), lastUsedAt: toDate(row.last_used_at),
  };
}

/** The viewer of a live (not revoked) account by its id, for work done later on its behalf; null otherwise. */
export async function liveViewerById(ctx: Db, id: number): Promise<Viewer | null> {
  const [row] = await ctx.em.execute<AccountRow[]>(`select ${accountTable.list} from account where id = ? and revoked_at is null`, [id]);
  return row ? toViewer(row) : null;
}

/** The account with this id; null when there is none. */
export async function accountById(ctx: Db, id: number): Promise<AccountModel | null> {
  const row = await accountTable.byId(ctx, id);
  return row ? toAccount(row) : null;
}

/** Revokes an account's token; an account already revoked keeps its first revocation time. Null when there is no such account. */
export async function revokeAccountRow(ctx: Db, id: number): Promise<AccountModel | null> {
  const [row] = await ctx.em.execute<AccountRow[]>(
    `update account set revoked_at = coalesce(revoked_at, now()) where id = ? returning ${accountTable.list}`,
    [id],
  );
  return row ? toAccount(row) : null;
}

/**
 * Replaces a live account's token hash (the old token stops working at once) and sets its expiry. Null when there is
 * no such account or it was revoked.
 */
export async function replaceTokenHash(ctx: Db, id: number, tokenHash: string, expiresAt: Date | null): Promise<AccountModel | null> {
  const [row] = await ctx.em.execute<AccountRow[]>(
    `update account set token_hash = ?, expires_at = ?, last_used_at = null where id = ? and revoked_at is null returning ${accountTable.list}`,
    [tokenHash, expiresAt, id],
  );
  return row ? toAccount(row) : null;
}

/** Inserts an account; a market or operator that does not exist is NOT_FOUND, told by the foreign key that refused it. */
export async function insertAccount(
  ctx: Db, account: Pick<AccountRow, 'name' | 'role' | 'market_id' | 'operator_id' | 'village' | 'token_hash' | 'expires_at'>,
): Promise<AccountModel> {
  try {
    const [row] = await ctx.em.execute<AccountRow[]>(
      `insert into account (name, role, market_id, operator_id, village, token_hash, expires_at) values (?, ?, ?, ?, ?, ?, ?) returning ${accountTable.list}`,
      [account.name, account.role, account.market_id, account.operator_id, account.village, account.token_hash, account.expires_at],
    );
    return toAccount(row);
  } catch (e) {
    if (e instanceof ForeignKeyConstraintViolationException) {
      if (/account_market_id_fkey/.test(e.message)) throw notFound('Market', account.market_id!);
      if (/account_operator_id_fkey/.test(e.message)) throw notFound('Operator', account.operator_id!);
    }
    throw e;
  }
}
