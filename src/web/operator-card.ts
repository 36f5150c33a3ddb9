import type { EntityManager } from '@mikro-orm/postgresql';

/** What a registration card's QR shows: public fields only, never contact data or ids. */
export interface OperatorCard {
  publicCode: string;
  kind: string;
  name: string;
  registrationNumber: string | null;
  village: string | null;
  status: string;
  grade: string;
  /** Deductions (negative points) that occurred in the last 12 months and were not reversed. */
  recentViolations: number;
}

const PUBLIC_CODE = /^[A-Za-z0-9_-]{1,32}$/;

/** The card of one operator by its public code, in one statement; null for an unknown code. */
export async function operatorCardByCode(em: EntityManager, code: string, now: Date = new Date()): Promise<OperatorCard | null> {
  if (!PUBLIC_CODE.test(code)) return null;
  const rows = await em.execute<
    { public_code: string; kind: string; name: string; registration_number: string | null; village: string | null; status: string; grade: string; violations: string }[]
  >(
    `select o.public_code, o.kind, o.name, coalesce(o.credit_code, o.registration_card_no) as registration_number,
            o.village, o.status, o.credit_grade as grade,
            (select count(*) from credit_event e
              where e.operator_id = o.id and e.points < 0
                and e.occurred_at > ?::timestamptz - interval '12 months' and e.occurred_at <= ?::timestamptz
                and not exists (select 1 from credit_event r where r.reverses_id = e.id)) as violations
       from operator o where o.public_code = ?`,
    [now, now, code],
  );
  if (!rows.length) return null;
  const r = rows[0];
  return {
    publicCode: r.public_code,
    kind: r.kind,
    name: r.name,
    registrationNumber: r.registration_number,
    village: r.village,
    status: r.status,
    grade: r.grade.trim(),
    recentViolations: Number(r.violations),
  };
}
