import { HandoverDocumentInput } from './lineage.input';
import { Field, Float, ID, InputType } from 'type-graphql';
import { QuantityUnit } from './enums';

@InputType({ description: 'One scan at a market gate' })
export class GateScanInput {
  @Field(() => String, { description: "A batch's public code, its QR URL (…/t/CODE), a GS1 Digital Link (…/01/GTIN/10/LOT) or a certificate number" })
  code!: string;

  @Field(() => ID)
  marketId!: string;

  @Field(() => ID, { description: 'The vendor receiving the goods at the market' })
  vendorOperatorId!: string;

  @Field(() => Float)
  declaredQuantity!: number;

  @Field(() => QuantityUnit)
  unit!: QuantityUnit;

  @Field(() => String, { description: "The device's idempotency key (1–64 of A–Z a–z 0–9 . _ : -); a retry sends the same one" })
  scanId!: string;

  @Field(() => HandoverDocumentInput, { nullable: true, description: 'The document the load came with; written onto the hand-over when the load is admitted' })
  handover?: HandoverDocumentInput | null;
}
