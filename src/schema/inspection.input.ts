import { Field, Float, ID, InputType } from 'type-graphql';
import { TestResult } from './enums';

@InputType()
export class TestItemInput {
  @Field(() => String, { description: 'What was tested, e.g. "有机磷和氨基甲酸酯类农药 / organophosphate and carbamate"' })
  item!: string;

  @Field(() => Float, { nullable: true, description: 'Measured value, e.g. inhibition rate 35.2' })
  value?: number | null;

  @Field(() => String, { nullable: true, description: 'Unit of the value, e.g. "%"' })
  unit?: string | null;

  @Field(() => TestResult)
  result!: TestResult;
}

@InputType({ description: 'A test of a gate entry (entryId) or of any lot (batchId): exactly one of the two' })
export class RecordTestInput {
  @Field(() => ID, { nullable: true, description: 'The gate entry whose load was tested; a TEST_REQUIRED entry is decided by the result' })
  entryId?: string | null;

  @Field(() => ID, { nullable: true })
  batchId?: string | null;

  @Field(() => ID, { nullable: true, description: "Where it was tested; defaults to the entry's market or the gate staff's own" })
  marketId?: string | null;

  @Field(() => [TestItemInput])
  items!: TestItemInput[];

  @Field(() => String, { description: 'Who performed the test' })
  tester!: string;

  @Field(() => String, {
    nullable: true,
    description: "The device's idempotency key (1–64 of A–Z a–z 0–9 . _ : -): a resend with the same key returns the first answer and records nothing; the same key with another result is a CONFLICT",
  })
  testId?: string | null;
}
