import { Field, Int, ObjectType } from 'type-graphql';
import type { Credit as CreditModel } from '../credit/credit.model';
import type { Operator as OperatorModel, PublicOperator as PublicOperatorModel } from '../registry/operator.model';
import { Grade } from './enums';
import { PersonalData } from './field-access';
import { PageInfo } from './page-info.type';
import { GradedOperatorFields, OperatorFields } from './shared-fields.type';

@ObjectType({ description: "An operator's credit state; regulators see the events behind it" })
export class Credit implements CreditModel {
  operatorId!: number;

  @Field(() => Int)
  score!: number;

  @Field(() => Grade)
  grade!: Grade;

  @Field(() => Date, { nullable: true, description: 'Grade is held at D until this time' })
  forcedUntil!: Date | null;

  static from(c: CreditModel): Credit {
    return Object.assign(new Credit(), c);
  }
}

@ObjectType({ description: 'What anyone may see of an operator: no contact data, no internal notes' })
export class PublicOperator extends GradedOperatorFields implements PublicOperatorModel {
  @Field(() => String, { nullable: true, description: 'Unified social credit code or town registration-card number' })
  registrationNumber!: string | null;

  @Field(() => String, { description: 'Public code of the registration card (`/o/:code`)' })
  publicCode!: string;

  static from(o: PublicOperatorModel): PublicOperator {
    return Object.assign(new PublicOperator(), {
      id: o.id,
      kind: o.kind,
      name: o.name,
      registrationNumber: o.registrationNumber,
      village: o.village,
      status: o.status,
      grade: o.grade,
      publicCode: o.publicCode,
    });
  }
}

@ObjectType({ description: 'An operator as regulators, admins and the operator itself see it' })
export class Operator extends OperatorFields implements OperatorModel {
  @Field(() => String, { nullable: true })
  creditCode!: string | null;

  @Field(() => String, { nullable: true })
  registrationCardNo!: string | null;

  @Field(() => String, { nullable: true })
  address!: string | null;

  @PersonalData()
  @Field(() => String, { nullable: true })
  contactPerson!: string | null;

  @PersonalData()
  @Field(() => String, { nullable: true })
  contactPhone!: string | null;

  @Field(() => String)
  publicCode!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Credit)
  credit!: Credit;

  static from(o: OperatorModel): Operator {
    const credit = Object.assign(new Credit(), o.credit);
    return Object.assign(new Operator(), {
      id: o.id,
      kind: o.kind,
      name: o.name,
      creditCode: o.creditCode,
      registrationCardNo: o.registrationCardNo,
      village: o.village,
      address: o.address,
      contactPerson: o.contactPerson,
      contactPhone: o.contactPhone,
      status: o.status,
      publicCode: o.publicCode,
      createdAt: o.createdAt,
      credit,
    });
  }
}

@ObjectType()
export class OperatorEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Operator)
  node!: Operator;
}

@ObjectType()
export class OperatorConnection {
  @Field(() => [OperatorEdge])
  edges!: OperatorEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
