import { Field, Float, ID, ObjectType } from 'type-graphql';
import type { Batch as BatchModel } from '../registry/batch.model';
import { BatchStatus, ProductCategory, QuantityUnit } from './enums';

@ObjectType({ description: 'A lot of vegetables, fruit or dairy' })
export class Batch implements BatchModel {
  @Field(() => ID)
  id!: number;

  ownerId!: number;

  @Field(() => String)
  productName!: string;

  @Field(() => ProductCategory)
  category!: ProductCategory;

  @Field(() => String)
  lotCode!: string;

  @Field(() => Float)
  quantity!: number;

  @Field(() => Float, { description: 'What is left after splits, transfers, merges and processing' })
  remaining!: number;

  @Field(() => QuantityUnit)
  unit!: QuantityUnit;

  @Field(() => Date)
  producedAt!: Date;

  @Field(() => String, { nullable: true })
  originPlace!: string | null;

  @Field(() => String, { nullable: true })
  gtin!: string | null;

  @Field(() => String)
  publicCode!: string;

  @Field(() => BatchStatus)
  status!: BatchStatus;

  @Field(() => Boolean, { description: 'A test failed on this lot' })
  nonConformant!: boolean;

  @Field(() => Date)
  createdAt!: Date;

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
