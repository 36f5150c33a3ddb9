import { Field, Float, ObjectType } from 'type-graphql';
import type { Batch as BatchModel } from '../registry/batch.model';
import { BatchFields } from './shared-fields.type';

@ObjectType({ description: 'A lot of vegetables, fruit or dairy' })
export class Batch extends BatchFields implements BatchModel {
  ownerId!: number;

  @Field(() => Float, { description: 'What is left after splits, transfers, merges and processing' })
  remaining!: number;

  static from(b: BatchModel): Batch {
    return Object.assign(new Batch(), {
      id: b.id,
      ownerId: b.ownerId,
      productName: b.productName,
      category: b.category,
      lotCode: b.lotCode,
      quantity: b.quantity,
      remaining: b.remaining,
      unit: b.unit,
      producedAt: b.producedAt,
      originPlace: b.originPlace,
      gtin: b.gtin,
      publicCode: b.publicCode,
      status: b.status,
      nonConformant: b.nonConformant,
      createdAt: b.createdAt,
    });
  }
}
