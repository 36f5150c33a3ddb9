import type { Db } from './table';
import type { QuantityUnit } from '../entities/enums';
import { defineTable } from './table';

export interface RecallDispositionRow {
  id: number;
  recall_id: number;
  operator_id: number;
  unit: QuantityUnit;
  returned: string;
  destroyed: string;
  sold: string;
  note: string | null;
  recorded_by_id: number | null;
  recorded_at: Date;
}

export const recallDispositionTable = defineTable<RecallDispositionRow>('recall_disposition', {
  id: 'int4',
  recall_id: 'int4',
  operator_id: 'int4',
  unit: 'text',
  returned: 'numeric',
  destroyed: 'numeric',
  sold: 'numeric',
  note: 'varchar',
  recorded_by_id: 'int4',
  recorded_at: 'timestamptz',
});

/** The operator's statement for this recall and unit, replacing its earlier one. */
export async function upsertRecallDisposition(
  ctx: Db, d: Pick<RecallDispositionRow, 'recall_id' | 'operator_id' | 'unit' | 'note' | 'recorded_by_id'> & { returned: number; destroyed: number; sold: number },
): Promise<void> {
  await ctx.em.execute(
    `insert into recall_disposition (recall_id, operator_id, unit, returned, destroyed, sold, note, recorded_by_id) values (?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (recall_id, operator_id, unit) do update set returned = excluded.returned, destroyed = excluded.destroyed, sold = excluded.sold,
       note = excluded.note, recorded_by_id = excluded.recorded_by_id, recorded_at = now()`,
    [d.recall_id, d.operator_id, d.unit, d.returned, d.destroyed, d.sold, d.note, d.recorded_by_id],
  );
}

/** Every statement made on these recalls. */
export function dispositionsOfRecalls(ctx: Db, recallIds: readonly number[]): Promise<RecallDispositionRow[]> {
  if (!recallIds.length) return Promise.resolve([]);
  return ctx.em.execute<RecallDispositionRow[]>(
    `select ${recallDispositionTable.list} from recall_disposition where recall_id = any(?::int[]) order by recall_id, operator_id, unit`,
    [`{${recallIds.join(',')}}`],
  );
}
