import { Field, Float, ID, ObjectType } from 'type-graphql';
import { BatchStatus, CertificateStatus, CommitmentBasis, Grade, OperatorKind, OperatorStatus, ProductCategory, QuantityUnit, TestResult } from './enums';

/**
 * Field sets shared by GraphQL types that show the same thing. Each base is an object type so that its fields are
 * inherited; none is ever returned itself, so none appears in the schema.
 */

/** What every view of a lot shows: the gate's answer, the registry's batch and a batch in a trace. */
@ObjectType()
export class LotFields {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  publicCode!: string;

  @Field(() => String)
  productName!: string;

  @Field(() => ProductCategory)
  category!: ProductCategory;

  @Field(() => String)
  lotCode!: string;

  @Field(() => QuantityUnit)
  unit!: QuantityUnit;

  @Field(() => BatchStatus)
  status!: BatchStatus;
}

/** A lot with its quantity, origin and test state: the registry's batch and a batch in a trace. */
@ObjectType()
export class BatchFields extends LotFields {
  @Field(() => Float)
  quantity!: number;

  @Field(() => Date)
  producedAt!: Date;

  @Field(() => String, { nullable: true })
  originPlace!: string | null;

  @Field(() => String, { nullable: true })
  gtin!: string | null;

  @Field(() => Boolean, { description: 'A test failed on this lot' })
  nonConformant!: boolean;

  @Field(() => Date)
  createdAt!: Date;
}

/** What every view of an origin certificate shows: the gate's answer, the registry and a trace. */
@ObjectType()
export class CertificateFields {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  number!: string;

  @Field(() => CertificateStatus)
  status!: CertificateStatus;

  @Field(() => Float)
  quantity!: number;

  @Field(() => QuantityUnit)
  unit!: QuantityUnit;

  @Field(() => [CommitmentBasis])
  bases!: CommitmentBasis[];
}

/** A certificate with its commitment and revocation: the registry's certificate and one in a trace. */
@ObjectType()
export class CertificateTermsFields extends CertificateFields {
  @Field(() => Date)
  issuedAt!: Date;

  @Field(() => String)
  statement!: string;

  @Field(() => String, { nullable: true })
  testReference!: string | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;

  @Field(() => String, { nullable: true })
  revokeReason!: string | null;
}

/** What every view of an operator shows, public or private. */
@ObjectType()
export class OperatorFields {
  @Field(() => ID)
  id!: number;

  @Field(() => OperatorKind)
  kind!: OperatorKind;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  village!: string | null;

  @Field(() => OperatorStatus)
  status!: OperatorStatus;
}

/** The public view of an operator with its grade: the public operator and the producer on a gate answer. */
@ObjectType()
export class GradedOperatorFields extends OperatorFields {
  @Field(() => Grade)
  grade!: Grade;
}

/** One tested item of a test, as the gate records it and the trace shows it. */
@ObjectType()
export class InspectionItemFields {
  @Field(() => String)
  item!: string;

  @Field(() => Float, { nullable: true })
  value!: number | null;

  @Field(() => String, { nullable: true })
  unit!: string | null;

  @Field(() => TestResult)
  result!: TestResult;
}
