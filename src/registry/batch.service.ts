import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { assertActsFor } from '../auth/access';
import type { Context, Db } from '../context';
import { OperatorStatus, ProductCategory, QuantityUnit, Role } from '../entities/enums';
import { badInput, notFound } from '../errors';
import { batchById, insertBatches, toBatch } from '../tables/batch.table';
import { operatorById, type OperatorRow } from '../tables/operator.table';
import * as v from '../validation';
import type { Batch } from './batch.model';

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
  const owner = await activeOperator(ctx, ownerId, 'ownerId');
  const originPlace = v.text('originPlace', input.originPlace, 300, { optional: true }) ?? owner.village;
  try {
    const [row] = await insertBatches(ctx, [{ ownerId, productName, category: input.category, lotCode, quantity, unit: input.unit, producedAt, originPlace, gtin }], false);
    return toBatch(row!);
  } catch (e) {
    if (e instanceof UniqueConstraintViolationException) throw badInput('lotCode', `"${lotCode}" is already used by this operator`);
    throw e;
  }
}

/** The operator, which must be ACTIVE to take part (`field` names the input that chose it). */
async function activeOperator(ctx: Db, id: number, field: string): Promise<OperatorRow> {
  const operator = await operatorById(ctx, id);
  if (!operator) throw notFound('Operator', id);
  if (operator.status !== OperatorStatus.ACTIVE) throw badInput(field, `operator ${id} is ${operator.status}`);
  return operator;
}

/** The batch with this id; NOT_FOUND when there is none. */
export async function getBatch(ctx: Db, id: number): Promise<Batch> {
  const row = await batchById(ctx, id);
  if (!row) throw notFound('Batch', id);
  return toBatch(row);
}

/** A batch for whoever asks: an operator account sees only its own operator's batches. */
export async function batchForViewer(ctx: Context, id: number): Promise<Batch> {
  const batch = await getBatch(ctx, id);
  if (ctx.viewer.role === Role.OPERATOR) assertActsFor(ctx.viewer, batch.ownerId);
  return batch;
}
