import { Field, Float, ID, ObjectType } from 'type-graphql';
import type {
  GateAnswer, GateBatchModel, GateCertificateModel, GateReasonModel, GateReceivedBatchModel,
} from '../gate/gate.model';
import type { PublicOperator } from '../registry/operator.model';
import { GateDecision, QuantityUnit } from './enums';
import { CertificateFields, GradedOperatorFields, LotFields } from './shared-fields.type';

@ObjectType({ description: 'Why a load was rejected or sent to a test, in Chinese and English' })
export class GateReason implements GateReasonModel {
  @Field(() => String)
  code!: string;

  @Field(() => String)
  zh!: string;

  @Field(() => String)
  en!: string;
}

@ObjectType({ description: 'The scanned lot as the gate saw it' })
export class GateBatch extends LotFields implements GateBatchModel {
}

@ObjectType({ description: 'The certificate a load travelled under, after this scan claimed its quantity' })
export class GateCertificate extends CertificateFields implements Omit<GateCertificateModel, 'issuedAt'> {
  @Field(() => Float)
  quantityAdmitted!: number;

  @Field(() => Float)
  quantityRemaining!: number;

  @Field(() => Date)
  issuedAt!: Date;

}

@ObjectType({ description: "The producer's public information and credit grade at the time of the scan" })
export class GateProducer extends GradedOperatorFields implements PublicOperator {
  @Field(() => String, { nullable: true })
  registrationNumber!: string | null;

  @Field(() => String)
  publicCode!: string;
}

@ObjectType({ description: 'The batch the receiving vendor got when the load was admitted' })
export class GateReceivedBatch implements GateReceivedBatchModel {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  publicCode!: string;

  @Field(() => String)
  lotCode!: string;

  @Field(() => Float)
  quantity!: number;

  @Field(() => QuantityUnit)
  unit!: QuantityUnit;

  @Field(() => ID)
  ownerId!: number;
}

@ObjectType({ description: 'The answer to a gate scan; a retry with the same scanId gets this same answer' })
export class GateScanResult implements Omit<GateAnswer, 'scannedAt' | 'certificate'> {
  @Field(() => ID, { description: 'The market entry recorded for this scan' })
  entryId!: number;

  @Field(() => String)
  scanId!: string;

  @Field(() => ID)
  marketId!: number;

  @Field(() => GateDecision)
  decision!: GateDecision;

  @Field(() => [GateReason], { description: 'Every reason for a REJECTED or TEST_REQUIRED decision; empty when ACCEPTED' })
  reasons!: GateReason[];

  @Field(() => Float)
  declaredQuantity!: number;

  @Field(() => QuantityUnit)
  unit!: QuantityUnit;

  @Field(() => Date)
  scannedAt!: Date;

  @Field(() => GateBatch, { nullable: true })
  batch!: GateBatch | null;

  @Field(() => GateCertificate, { nullable: true })
  certificate!: GateCertificate | null;

  @Field(() => GateProducer, { nullable: true })
  producer!: GateProducer | null;

  @Field(() => GateReceivedBatch, { nullable: true, description: 'Set when the load was ACCEPTED at the scan' })
  receivedBatch!: GateReceivedBatch | null;

  static from(a: GateAnswer): GateScanResult {
    return Object.assign(new GateScanResult(), {
      ...a,
      scannedAt: new Date(a.scannedAt),
      reasons: a.reasons.map((r) => Object.assign(new GateReason(), r)),
      batch: a.batch && Object.assign(new GateBatch(), a.batch),
      certificate: a.certificate && Object.assign(new GateCertificate(), { ...a.certificate, issuedAt: new Date(a.certificate.issuedAt) }),
      producer: a.producer && Object.assign(new GateProducer(), a.producer),
      receivedBatch: a.receivedBatch && Object.assign(new GateReceivedBatch(), a.receivedBatch),
    });
  }
}
