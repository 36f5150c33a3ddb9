import { Field, Int, ObjectType } from 'type-graphql';
import type { OperatorCard as OperatorCardModel } from '../credit/credit.model';
import { InspectionOutcome } from './enums';

@ObjectType({ description: 'The date and outcome of a field inspection, as the public card shows it' })
export class PublicInspectionOutcome {
  @Field(() => Date)
  inspectedAt!: Date;

  @Field(() => InspectionOutcome)
  outcome!: InspectionOutcome;
}

@ObjectType({ description: "What a registration card's QR shows (`/o/:code`): public fields only, never contact data or ids" })
export class OperatorCard implements OperatorCardModel {
  @Field(() => String)
  publicCode!: string;

  @Field(() => String)
  kind!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  registrationNumber!: string | null;

  @Field(() => String, { nullable: true })
  village!: string | null;

  @Field(() => String)
  status!: string;

  @Field(() => String)
  grade!: string;

  @Field(() => Int, { description: 'Deductions in the last 12 months that were not reversed' })
  recentViolations!: number;

  @Field(() => [PublicInspectionOutcome], { description: 'The latest field inspections, newest first (at most 3): date and outcome only' })
  latestInspections!: PublicInspectionOutcome[];
}
