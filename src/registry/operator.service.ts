import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { newPublicCode } from '../public-code';
import type { Context } from '../context';
import { Grade, Operator, OperatorKind, OperatorStatus } from '../entities';
import { badInput, notFound } from '../errors';
import * as v from '../validation';
import { decodeCursor, toPage, type Page } from './pagination';

/** Kinds the town may register with a registration card instead of a credit code. */
export const CARD_KINDS = new Set([OperatorKind.FARM, OperatorKind.SMALL_WORKSHOP, OperatorKind.STREET_VENDOR, OperatorKind.MARKET_VENDOR]);

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
  const operator = ctx.em.create(Operator, {
    kind: input.kind,
    name,
    creditCode,
    registrationCardNo: null,
    village: v.text('village', input.village, 100, { optional: true }),
    address: v.text('address', input.address, 300, { optional: true }),
    contactPerson: v.text('contactPerson', input.contactPerson, 100, { optional: true }),
    contactPhone: phone,
    publicCode: newPublicCode(),
  });
  await ctx.em.transactional(async (em) => {
    if (creditCode && (await em.count(Operator, { creditCode }))) throw badInput('creditCode', 'is already registered');
    if (!creditCode) {
      const [{ n }] = await em.execute<{ n: string }[]>(`select nextval('registration_card_seq') as n`);
      operator.registrationCardNo = cardNumber(Number(n), operator.createdAt);
    }
    em.persist(operator);
    await em.flush();
  });
  return operator;
}

/** Town registration-card number: BA, the year, a six-digit serial. */
export function cardNumber(serial: number, at: Date): string {
  return `BA${at.getUTCFullYear()}${String(serial).padStart(6, '0')}`;
}

export async function getOperator(em: EntityManager, id: number): Promise<Operator> {
  const operator = await em.findOne(Operator, id);
  if (!operator) throw notFound('Operator', id);
  return operator;
}

/** Keyset pagination by id: page N costs what page 1 costs. */
export async function listOperators(ctx: Context, filter: OperatorFilterData, first: number, after: string | null | undefined): Promise<Page<Operator>> {
  const afterId = decodeCursor('after', after);
  const where: FilterQuery<Operator> = {};
  if (filter.kind) where.kind = filter.kind;
  if (filter.status) where.status = filter.status;
  if (filter.grade) where.creditGrade = filter.grade;
  const village = v.text('filter.village', filter.village, 100, { optional: true });
  if (village) where.village = village;
  const nameContains = v.text('filter.nameContains', filter.nameContains, 100, { optional: true });
  if (nameContains) where.name = { $ilike: `%${nameContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%` };
  if (afterId !== null) where.id = { $gt: afterId };
  const rows = await ctx.em.find(Operator, where, { orderBy: { id: 'asc' }, limit: first + 1 });
  return toPage(rows, first);
}

export async function setOperatorStatus(ctx: Context, id: number, status: OperatorStatus): Promise<Operator> {
  const operator = await getOperator(ctx.em, id);
  operator.status = status;
  await ctx.em.flush();
  return operator;
}
