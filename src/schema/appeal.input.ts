import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import { AppealKind, AppealStatus } from './enums';

export enum AppealDecision {
  UPHELD = 'UPHELD',
  REJECTED = 'REJECTED',
}
registerEnumType(AppealDecision, { name: 'AppealDecision', description: 'UPHELD reverses the contested event; REJECTED leaves it standing' });

@InputType()
export class FileCreditAppealInput {
  @Field(() => ID, { description: 'A deduction of the operator itself' })
  eventId!: string;

  @Field(() => AppealKind, { description: 'APPEAL: the event was wrong; REPAIR: the cause was rectified' })
  kind!: AppealKind;

  @Field(() => String)
  reason!: string;
}

@InputType()
export class DecideCreditAppealInput {
  @Field(() => ID)
  appealId!: string;

  @Field(() => AppealDecision)
  decision!: AppealDecision;

  @Field(() => String, { description: 'Why; kept on the appeal and in the archived event' })
  note!: string;
}

@InputType()
export class CreditAppealFilter {
  @Field(() => AppealStatus, { nullable: true })
  status?: AppealStatus | null;

  @Field(() => ID, { nullable: true })
  operatorId?: string | null;
}
