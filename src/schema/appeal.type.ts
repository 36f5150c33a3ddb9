import { Field, ID, ObjectType } from 'type-graphql';
import type { CreditAppeal as CreditAppealModel } from '../credit/credit.model';
import { AppealKind, AppealStatus } from './enums';
import { PageInfo } from './page-info.type';

@ObjectType({ description: "An operator's appeal against a deduction, or its request for credit repair after rectification" })
export class CreditAppeal implements CreditAppealModel {
  @Field(() => ID)
  id!: number;

  @Field(() => ID, { description: 'The contested event' })
  eventId!: number;

  @Field(() => ID)
  operatorId!: number;

  @Field(() => AppealKind)
  kind!: AppealKind;

  @Field(() => String)
  reason!: string;

  @Field(() => AppealStatus)
  status!: AppealStatus;

  @Field(() => ID, { nullable: true })
  filedById!: number | null;

  @Field(() => ID, { nullable: true })
  decidedById!: number | null;

  @Field(() => Date, { nullable: true })
  decidedAt!: Date | null;

  @Field(() => String, { nullable: true })
  decisionNote!: string | null;

  @Field(() => ID, { nullable: true, description: 'The REVERSAL event an upheld appeal appended' })
  reversalEventId!: number | null;

  @Field(() => Date)
  createdAt!: Date;

  static from(a: CreditAppealModel): CreditAppeal {
    return Object.assign(new CreditAppeal(), a);
  }
}

@ObjectType()
export class CreditAppealEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => CreditAppeal)
  node!: CreditAppeal;
}

@ObjectType()
export class CreditAppealConnection {
  @Field(() => [CreditAppealEdge])
  edges!: CreditAppealEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
