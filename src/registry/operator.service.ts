import { assertActsFor } from '../auth/access';
import { withTransaction, type Context } from '../context';
import { Grade, OperatorKind, OperatorStatus } from '../entities/enums';
import { badInput, notFound } from '../errors';
import { newPublicCode } from '../public-code';
import {
  creditCodeTaken, insertOperator, listOperatorRows, nextRegistrationCardSerial, operatorById, toOperator, updateOperatorStatus,
} from '../tables/operator.table';
import * as v from '../validation';
import type { Operator } from './operator.model';
import { decodeCursor, toPage, type Page } from './pagination';

/** Kinds the town may register with a registration card instead of a credit code. */
export const CARD_KINDS = new Set([OperatorKind.FARM, OperatorKind.SMALL_WORKSHOP, OperatorKind.STREET_VENDOR, OperatorKind.MARKET_VENDOR, OperatorKind.RURAL_CHEF]);

export interface RegisterOperatorData {
  kind: OperatorKind;
  name: string;
  creditCode?: string | null;
  village?: string | null;
  address?: string | null;
  contactPerson?: string | null;
  contactPhone?: string | null;
}

export interface OperatorFilterData {
  kind?: OperatorKind | null;
  status?: OperatorStatus | null;
  grade?: Grade | null;
  village?: string | null;
  nameContains?: string | null;
}

/** Registers an operator; without a credit code a card kind gets a town registration-card number. */
export async function registerOperator(ctx: Context, input: RegisterOperatorData): Promise<Operator> {
  const name = v.text('name', input.name, 200);
  const creditCode = input.creditCode?.trim() ? v.creditCode('creditCode', input.creditCode) : null;
  if (!creditCode && !CARD_KINDS.has(input.kind)) {
    throw badInput('creditCode', `is required for ${input.kind} (only farms, small workshops and vendors may register with a town card)`);
  }
  const phone = v.text('contactPhone', input.contactPhone, 32, { optional: true });
  if (phone && !/^\+?[0-9][0-9 -]{4,30}$/.test(phone)) throw badInput('contactPhone', 'must be a phone number');
  const village = v.text('village', input.village, 100, { optional: true });
  const address = v.text('address', input.address, 300, { optional: true });
  const contactPerson = v.text('contactPerson', input.contactPerson, 100, { optional: true });
  const createdAt = new Date();
  const row = await withTransaction(ctx, async (tx) => {
    if (creditCode && (await creditCodeTaken(tx, creditCode))) throw badInput('creditCode', 'is already registered');
    const registrationCardNo = creditCode ? null : cardNumber(await nextRegistrationCardSerial(tx), createdAt);
    return insertOperator(tx, {
      kind: input.kind,
      name,
      credit_code: creditCode,
      registration_card_no: registrationCardNo,
      village,
      address,
      contact_person: contactPerson,
      contact_phone: phone,
      public_code: newPublicCode(),
      created_at: createdAt,
    });
  });
  return toOperator(row);
}

/** Town registration-card number: BA, the year, a six-digit serial. */
export function cardNumber(serial: number, at: Date): string {
  return `BA${at.getUTCFullYear()}${String(serial).padStart(6, '0')}`;
}

/** The operator with this id; NOT_FOUND when there is none. */
export async function getOperator(ctx: Context, id: number): Promise<Operator> {
  assertActsFor(ctx.viewer, id);
  const row = await operatorById(ctx, id);
  if (!row) throw notFound('Operator', id);
  return toOperator(row);
}

/** Keyset pagination by id: page N costs what page 1 costs. */
export async function listOperators(ctx: Context, filter: OperatorFilterData, first: number, after: string | null | undefined): Promise<Page<Operator>> {
  const afterId = decodeCursor('after', after);
  const village = v.text('filter.village', filter.village, 100, { optional: true });
  const nameContains = v.text('filter.nameContains', filter.nameContains, 100, { optional: true });
  const rows = await listOperatorRows(ctx, { kind: filter.kind, status: filter.status, grade: filter.grade, village, nameContains }, afterId, first + 1);
  return toPage(rows.map(toOperator), first);
}

/** Suspends, revokes or reinstates an operator. */
export async function setOperatorStatus(ctx: Context, id: number, status: OperatorStatus): Promise<Operator> {
  const row = await updateOperatorStatus(ctx, id, status);
  if (!row) throw notFound('Operator', id);
  return toOperator(row);
}
