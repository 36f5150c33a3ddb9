import type { Db } from './table';
import type { IdentifierMapping } from '../exchange/exchange.model';
import { defineTable } from './table';

export interface ExchangeIdentifierRow {
  id: number;
  foreign_id: string;
  scheme: string;
  batch_id: number | null;
  operator_id: number | null;
  market_id: number | null;
  master_data: Record<string, unknown>;
  created_at: Date | string;
}

export const exchangeIdentifierTable = defineTable<ExchangeIdentifierRow>('exchange_identifier', {
  id: 'int4',
  foreign_id: 'varchar',
  scheme: 'varchar',
  batch_id: 'int4',
  operator_id: 'int4',
  market_id: 'int4',
  master_data: 'jsonb',
  created_at: 'timestamptz',
});

/** Records each identifier once; one already held keeps its first mapping, and gains one where it had none. */
export async function recordIdentifiers(ctx: Db, ids: IdentifierMapping[]): Promise<void> {
  if (!ids.length) return;
  await ctx.em.execute(
    `insert into exchange_identifier (foreign_id, scheme, batch_id, operator_id, market_id, master_data)
     select x.foreign_id, x.scheme, x.batch_id, x.operator_id, x.market_id, x.master_data
     from jsonb_to_recordset(?::jsonb) as x(foreign_id text, scheme text, batch_id int, operator_id int, market_id int, master_data jsonb)
     on conflict (foreign_id) do update set
       batch_id = coalesce(exchange_identifier.batch_id, excluded.batch_id),
       operator_id = coalesce(exchange_identifier.operator_id, excluded.operator_id),
       market_id = coalesce(exchange_identifier.market_id, excluded.market_id)
     where (exchange_identifier.batch_id is null and excluded.batch_id is not null)
        or (exchange_identifier.operator_id is null and excluded.operator_id is not null)
        or (exchange_identifier.market_id is null and excluded.market_id is not null)`,
    [JSON.stringify(ids.map((i) => ({ foreign_id: i.foreignId, scheme: i.scheme, batch_id: i.batchId, operator_id: i.operatorId, market_id: i.marketId, master_data: i.masterData })))],
  );
}

/** The mapping of these identifiers, for those held. */
export async function identifiersOf(ctx: Db, foreignIds: string[]): Promise<IdentifierMapping[]> {
  if (!foreignIds.length) return [];
  const rows = await ctx.em.execute<ExchangeIdentifierRow[]>(
    `select ${exchangeIdentifierTable.list} from exchange_identifier where foreign_id = any(?::text[]) order by foreign_id`,
    [`{${foreignIds.map((x) => `"${x.replace(/["\\]/g, '\\$&')}"`).join(',')}}`],
  );
  return rows.map((r) => ({ foreignId: r.foreign_id, scheme: r.scheme, batchId: r.batch_id, operatorId: r.operator_id, marketId: r.market_id, masterData: r.master_data }));
}
