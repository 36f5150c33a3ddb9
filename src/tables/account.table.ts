import { ForeignKeyConstraintViolationException } from '@mikro-orm/core';
import type { AccountModel } from '../auth/account.model';
import type { Db } from './table';
import type { Role } from '../entities/enums';
import type { Viewer } from '../auth/viewer.model';
import { notFound } from '../errors';
import { defineTable } from './table';

export interface AccountRow {
  id: number;
  name: string;
  role: Role;
  market_id: number | null;
  operator_id: number | null;
  token_hash: string;
  created_at: Date;
  revoked_at: Date | null;
}

export const accountTable = defineTable<AccountRow>('account', {
  id: 'int4',
  name: 'varchar',
  role: 'text',
  market_id: 'int4',
  operator_id: 'int4',
  token_hash: 'bpchar',
  created_at: 'timestamptz',
  revoked_at: 'timestamptz',
});

export function toViewer(row: Pick<AccountRow, 'id' | 'name' | 'role' | 'market_id' | 'operator_id'>): Viewer {
  return { accountId: row.id, name: row.name, role: row.role, marketId: row.market_id, operatorId: row.operator_id };
}

/** The viewer of the account holding this token hash, unless it was revoked. */
export async function viewerByTokenHash(ctx: Db, tokenHash: string): Promise<Viewer | null> {
  const [row] = await ctx.em.execute<AccountRow[]>(
    'select id, name, role, market_id, operator_id from account where token_hash = ? and revoked_at is null',
    [tokenHash],
  );
  return row ? toViewer(row) : null;
}

export function toAccount(row: AccountRow): AccountModel {
  return { id: row.id, name: row.name, role: row.role, marketId: row.market_id, operatorId: row.operator_id };
}

/** Inserts an account; a market or operator that does not exist is NOT_FOUND, told by the foreign key that refused it. */
export async function insertAccount(
  ctx: Db, account: Pick<AccountRow, 'name' | 'role' | 'market_id' | 'operator_id' | 'token_hash'>,
): Promise<AccountModel> {
  try {
    const [row] = await ctx.em.execute<AccountRow[]>(
      `insert into account (name, role, market_id, operator_id, token_hash) values (?, ?, ?, ?, ?) returning ${accountTable.list}`,
      [account.name, account.role, account.market_id, account.operator_id, account.token_hash],
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
