import type { Db } from '../context';
import { Grade } from '../entities/enums';
import { gradeCountRows } from '../tables/operator.table';
import type { GradeCount } from './credit.model';

/** Operators per stored grade, A to D, each grade present (zero when nobody holds it); one grouped statement. */
export async function creditGradeCounts(ctx: Db): Promise<GradeCount[]> {
  const byGrade = new Map((await gradeCountRows(ctx)).map((r) => [r.grade, r]));
  return [Grade.A, Grade.B, Grade.C, Grade.D].map((grade) => ({ grade, operators: byGrade.get(grade)?.operators ?? 0, active: byGrade.get(grade)?.active ?? 0 }));
}
