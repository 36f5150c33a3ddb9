import type { TrainingModel } from '../assessment/assessment.model';
import { insertOnce, type InsertedOnce } from './insert-once';
import { dateText } from './sql-date';
import { defineTable, type Db } from './table';

export interface TrainingRow {
  id: number;
  topic: string;
  held_on: Date | string;
  trainer: string;
  village: string | null;
  recorded_by_id: number;
  created_at: Date;
  client_key: string;
  request_hash: string;
  response: TrainingModel | null;
}

export const trainingTable = defineTable<TrainingRow>('training', {
  id: 'int4',
  topic: 'varchar',
  held_on: 'date',
  trainer: 'varchar',
  village: 'varchar',
  recorded_by_id: 'int4',
  created_at: 'timestamptz',
  client_key: 'varchar',
  request_hash: 'bpchar',
  response: 'jsonb',
});

export type NewTraining = Pick<TrainingRow, 'topic' | 'trainer' | 'village' | 'recorded_by_id' | 'client_key' | 'request_hash'> & { held_on: string };

/** The training recorded under this client key: inserted now, or the stored answer of the first recording. */
export function insertTrainingOnce(tx: Db, row: NewTraining): Promise<InsertedOnce<TrainingRow, Pick<TrainingRow, 'id' | 'created_at'>>> {
  return insertOnce(tx, trainingTable, 'client_key', row, ['id', 'created_at'], `clientKey ${row.client_key} was already used for a different training`);
}

export async function storeTrainingAnswer(tx: Db, id: number, answer: TrainingModel): Promise<void> {
  await tx.em.execute(`update training set response = ?::jsonb where id = ?`, [JSON.stringify(answer), id]);
}

/** Trainings held in [from, to) (local dates), newest first, before `beforeId`; a village's list holds its own and the town-wide ones. */
export async function listTrainingRows(
  ctx: Db, f: { from: string | null; to: string | null; village: string | null }, beforeId: number | null, limit: number,
): Promise<TrainingRow[]> {
  return ctx.em.execute<TrainingRow[]>(
    `select ${trainingTable.list} from training
      where (?::date is null or held_on >= ?::date) and (?::date is null or held_on < ?::date)
        and (?::text is null or village = ? or village is null) and (?::int is null or id < ?)
      order by id desc limit ?`,
    [f.from, f.from, f.to, f.to, f.village, f.village, beforeId, beforeId, limit],
  );
}

export function heldOnText(row: Pick<TrainingRow, 'held_on'>): string {
  return dateText(row.held_on)!;
}
