import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertActsFor } from '../auth/access';
import { newPublicCode } from '../public-code';
import type { Context } from '../context';
import { Batch, Operator, OperatorStatus, ProductCategory, QuantityUnit } from '../entities';
import { badInput, notFound } from '../errors';
import * as v from '../validation';

export interface CreateBatchData {
  ownerId: string | number;
  productName: string;
  category: ProductCategory;
  lotCode: string;
  quantity: number;
  unit: QuantityUnit;
  producedAt: Date;
  originPlace?: string | null;
  gtin?: string | null;
}

/** Registers a lot for its owner, with a fresh unguessable public code. */
export async function createBatch(ctx: Context, input: CreateBatchData): Promise<Batch> {
  const ownerId = v.id('ownerId', input.ownerId);
  assertActsFor(ctx.viewer, ownerId);
  const productName = v.text('productName', input.productName, 200);
  const lotCode = v.text('lotCode', input.lotCode, 64);
  if (!/^[\p{L}\p{N}._\-/]+$/u.test(lotCode)) throw badInput('lotCode', 'may contain only letters, digits, ".", "_", "-" and "/"');
  const quantity = v.quantity('quantity', input.quantity);
  const producedAt = v.pastDate('producedAt', input.producedAt);
  const gtin = input.gtin?.trim() ? v.gtin('gtin', input.gtin) : null;
  const owner = await activeOperator(ctx.em, ownerId, 'ownerId');
  const batch = ctx.em.create(Batch, {
    owner,
    productName,
    category: input.category,
    lotCode,
    quantity,
    remaining: quantity,
    unit: input.unit,
    producedAt,
    originPlace: v.text('originPlace', input.originPlace, 300, { optional: true }) ?? owner.village,
    gtin,
    publicCode: newPublicCode(),
  });
  try {
    await ctx.em.persistAndFlush(batch);
  } catch (e) {
    if (e instanceof UniqueConstraintViolationException) throw badInput('lotCode', `"${lotCode}" is already used by this operator`);
    throw e;
  }
  return batch;
}

export async function activeOperator(em: EntityManager, id: number, field: string): Promise<Operator> {
  const operator = await em.findOne(Operator, id);
  if (!operator) throw notFound('Operator', id);
  if (operator.status !== OperatorStatus.ACTIVE) throw badInput(field, `operator ${id} is ${operator.status}`);
  return operator;
}

export async function getBatch(em: EntityManager, id: number): Promise<Batch> {
  const batch = await em.findOne(Batch, id);
  if (!batch) throw notFound('Batch', id);
  return batch;
}

export async function findBatchByCode(em: EntityManager, code: string): Promise<Batch | null> {
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(code)) return null;
  return em.findOne(Batch, { publicCode: code });
}
