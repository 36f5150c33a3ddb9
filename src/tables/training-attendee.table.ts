import type { TrainingAttendeeModel } from '../assessment/assessment.model';
import { defineTable, type Db } from './table';

export interface TrainingAttendeeRow {
  id: number;
  training_id: number;
  operator_id: number | null;
  account_id: number | null;
  name: string;
  credit_event_id: number | null;
}

export const trainingAttendeeTable = defineTable<TrainingAttendeeRow>('training_attendee', {
  id: 'int4',
  training_id: 'int4',
  operator_id: 'int4',
  account_id: 'int4',
  name: 'varchar',
  credit_event_id: 'int4',
});

export function toAttendee(r: TrainingAttendeeRow): TrainingAttendeeModel {
  return { operatorId: r.operator_id, accountId: r.account_id, name: r.name, creditEventId: r.credit_event_id };
}

/**
 * Adds an attendee; null when that operator or account is already listed for the training (the unique keys decide),
 * so each operator's attendance is counted, and charged, once.
 */
export async function insertAttendee(tx: Db, a: Pick<TrainingAttendeeRow, 'training_id' | 'operator_id' | 'account_id' | 'name'>): Promise<number | null> {
  const [row] = await tx.em.execute<{ id: number }[]>(
    `insert into training_attendee (training_id, operator_id, account_id, name) values (?, ?, ?, ?) on conflict do nothing returning id`,
    [a.training_id, a.operator_id, a.account_id, a.name],
  );
  return row?.id ?? null;
}

export async function linkAttendeeEvent(tx: Db, id: number, creditEventId: number): Promise<void> {
  await tx.em.execute(`update training_attendee set credit_event_id = ? where id = ?`, [creditEventId, id]);
}

/** The attendees of these trainings, in the order they were listed. */
export async function attendeesOf(ctx: Db, trainingIds: readonly number[]): Promise<TrainingAttendeeRow[]> {
  if (!trainingIds.length) return [];
  return ctx.em.execute<TrainingAttendeeRow[]>(
    `select ${trainingAttendeeTable.list} from training_attendee where training_id = any(?::int[]) order by training_id, id`,
    [`{${trainingIds.join(',')}}`],
  );
}
