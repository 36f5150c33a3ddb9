import { Field, Float, ID, InputType } from 'type-graphql';
import { CommitmentBasis } from './enums';

@InputType()
export class IssueCertificateInput {
  @Field(() => ID)
  batchId!: string;

  @Field(() => Float, { nullable: true, description: "Defaults to the batch's quantity" })
  quantity?: number | null;

  @Field(() => [CommitmentBasis])
  bases!: CommitmentBasis[];

  @Field(() => String, { nullable: true, description: 'Defaults to the standard commitment' })
  statement?: string | null;

  @Field(() => String, { nullable: true, description: 'Required with COMMISSIONED_TEST' })
  testReference?: string | null;

  @Field(() => Date, { nullable: true })
  issuedAt?: Date | null;
}
