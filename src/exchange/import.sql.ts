import type { Db } from '../context';
import type { CommitmentBasis, OperatorStatus, QuantityUnit } from '../entities/enums';
import type { NewOperator } from '../tables/operator.table';

/**
 * The bulk statements of a registry import: look-ups of a thousand rows' keys at once and multi-row inserts that
 * leave what is already registered as it is. Each takes arrays as one parameter, so a statement's size does not
 * grow with its rows' count of placeholders.
 */

const textArray = (values: readonly string[]) => `{${values.map((x) => `"${x.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/** Which of these credit codes are registered. */
export async function existingCreditCodes(ctx: Db, codes: string[]): Promise<Set<string>> {
  if (!codes.length) return new Set();
  const rows = await ctx.em.execute<{ credit_code: string }[]>('select credit_code from operator where credit_code = any(?::text[])', [textArray(codes)]);
  return new Set(rows.map((r) => r.credit_code));
}

/** `n` registration-card serials, in order. */
export async function registrationCardSerials(ctx: Db, n: number): Promise<number[]> {
  if (!n) return [];
  const rows = await ctx.em.execute<{ n: string }[]>(`select nextval('registration_card_seq') as n from generate_series(1, ?)`, [n]);
  return rows.map((r) => Number(r.n)).sort((a, b) => a - b);
}

/** Inserts the operators in one statement, leaving a credit code already registered as it is; how many were inserted. */
export async function insertOperators(ctx: Db, operators: NewOperator[]): Promise<number> {
  if (!operators.length) return 0;
  const rows = await ctx.em.execute<{ id: number }[]>(
    `insert into operator (kind, name, credit_code, registration_card_no, village, address, contact_person, contact_phone, public_code, created_at)
     select x.kind, x.name, x.credit_code, x.registration_card_no, x.village, x.address, x.contact_person, x.contact_phone, x.public_code, x.created_at
     from jsonb_to_recordset(?::jsonb) as x(kind text, name text, credit_code text, registration_card_no text, village text, address text,
       contact_person text, contact_phone text, public_code text, created_at timestamptz)
     on conflict (credit_code) do nothing returning id`,
    [JSON.stringify(operators)],
  );
  return rows.length;
}

/** Which of these market names are registered. */
export async function existingMarketNames(ctx: Db, names: string[]): Promise<Set<string>> {
  if (!names.length) return new Set();
  const rows = await ctx.em.execute<{ name: string }[]>('select name from market where name = any(?::text[])', [textArray(names)]);
  return new Set(rows.map((r) => r.name));
}

export async function insertMarkets(ctx: Db, markets: { name: string; village: string | null; address: string | null }[]): Promise<void> {
  if (!markets.length) return;
  await ctx.em.execute(
    `insert into market (name, village, address, created_at)
     select x.name, x.village, x.address, now() from jsonb_to_recordset(?::jsonb) as x(name text, village text, address text)`,
    [JSON.stringify(markets)],
  );
}

/** An operator a lot row names, by credit code or registration-card number. */
export interface RegisteredOwner {
  id: number;
  status: OperatorStatus;
  village: string | null;
}

/** The operators these codes name, keyed by the code as registered (credit code or registration-card number). */
export async function operatorsByCodes(ctx: Db, codes: string[]): Promise<Map<string, RegisteredOwner>> {
  if (!codes.length) return new Map();
  const list = textArray([...new Set(codes.flatMap((c) => [c, c.toUpperCase()]))]);
  const rows = await ctx.em.execute<(RegisteredOwner & { credit_code: string | null; registration_card_no: string | null })[]>(
    `select id, status, village, credit_code, registration_card_no from operator
     where credit_code = any(?::text[]) or registration_card_no = any(?::text[])`,
    [list, list],
  );
  const found = new Map<string, RegisteredOwner>();
  for (const r of rows) {
    const owner = { id: r.id, status: r.status, village: r.village };
    if (r.registration_card_no) found.set(r.registration_card_no, owner);
    // a credit code names its operator before a card number that happens to read the same
    if (r.credit_code) found.set(r.credit_code, owner);
  }
  return found;
}

/** Which of these (owner, lot code) pairs are registered, as `owner/lot`. */
export async function existingLots(ctx: Db, lots: { ownerId: number; lotCode: string }[]): Promise<Set<string>> {
  if (!lots.length) return new Set();
  const rows = await ctx.em.execute<{ owner_id: number; lot_code: string }[]>(
    `select b.owner_id, b.lot_code from batch b
     join jsonb_to_recordset(?::jsonb) as x(owner_id int, lot_code text) on b.owner_id = x.owner_id and b.lot_code = x.lot_code`,
    [JSON.stringify(lots.map((l) => ({ owner_id: l.ownerId, lot_code: l.lotCode })))],
  );
  return new Set(rows.map((r) => `${r.owner_id}/${r.lot_code}`));
}

export interface NewImportedCertificate {
  number: string;
  batchId: number;
  issuerId: number;
  quantity: number;
  unit: QuantityUnit;
  issuedAt: Date;
  bases: CommitmentBasis[];
  statement: string;
  testReference: string | null;
}

export async function insertCertificates(ctx: Db, certificates: NewImportedCertificate[]): Promise<void> {
  if (!certificates.length) return;
  await ctx.em.execute(
    `insert into origin_certificate (number, batch_id, issuer_id, quantity, unit, issued_at, bases, statement, test_reference, created_at)
     select x.number, x.batch_id, x.issuer_id, x.quantity, x.unit, x.issued_at, array(select jsonb_array_elements_text(x.bases)), x.statement,
       x.test_reference, now()
     from jsonb_to_recordset(?::jsonb) as x(number text, batch_id int, issuer_id int, quantity numeric, unit text, issued_at timestamptz,
       bases jsonb, statement text, test_reference text)`,
    [JSON.stringify(certificates.map((c) => ({
      number: c.number, batch_id: c.batchId, issuer_id: c.issuerId, quantity: c.quantity, unit: c.unit, issued_at: c.issuedAt, bases: c.bases,
      statement: c.statement, test_reference: c.testReference,
    })))],
  );
}
