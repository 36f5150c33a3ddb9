import type { EntityManager } from '@mikro-orm/postgresql';
import { Grade, OperatorStatus } from '../entities/enums';
import type { GradeCount } from '../schema/overview.type';

/** Operators per stored grade, A to D, each grade present (zero when nobody holds it); one grouped statement. */
export async function creditGradeCounts(em: EntityManager): Promise<GradeCount[]> {
  const rows = await em.execute<{ grade: Grade; operators: number; active: number }[]>(
    `select credit_grade as grade, count(*)::int as operators, (count(*) filter (where status = ?))::int as active
       from operator group by credit_grade`,
    [OperatorStatus.ACTIVE],
  );
  const byGrade = new Map(rows.map((r) => [r.grade, r]));
  return [Grade.A, Grade.B, Grade.C, Grade.D].map((grade) => ({ grade, operators: byGrade.get(grade)?.operators ?? 0, active: byGrade.get(grade)?.active ?? 0 }));
}
