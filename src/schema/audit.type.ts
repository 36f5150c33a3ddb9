import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import type { AuditEventModel, PersonalRead as PersonalReadModel } from '../audit/audit.model';
import { AuditKind, Role } from './enums';
import { PageInfo } from './page-info.type';

@ObjectType({ description: 'One personal-data field read: which field of which record' })
export class PersonalRead implements PersonalReadModel {
  @Field(() => String)
  type!: string;

  @Field(() => String)
  field!: string;

  @Field(() => ID, { nullable: true })
  id!: number | string | null;
}

@ObjectType({ description: 'One request that ran a mutation or read personal data; the trail is append-only' })
export class AuditEvent implements AuditEventModel {
  @Field(() => ID)
  id!: number;

  @Field(() => Date)
  at!: Date;

  @Field(() => ID, { nullable: true, description: 'The account that made the request; null when anonymous' })
  accountId!: number | null;

  @Field(() => Role, { nullable: true })
  role!: Role | null;

  @Field(() => AuditKind)
  kind!: AuditKind;

  @Field(() => String, { description: 'The root fields the request ran, comma-separated' })
  operation!: string;

  @Field(() => GraphQLJSONObject, { description: 'The variables as sent, secrets and personal data replaced by ***' })
  variables!: Record<string, unknown>;

  @Field(() => String, { description: 'OK, or the error codes the caller was answered, comma-separated' })
  outcome!: string;

  @Field(() => [PersonalRead], { description: 'The personal-data fields the request read' })
  personalData!: PersonalRead[];

  @Field(() => String, { nullable: true })
  clientIp!: string | null;

  static from(e: AuditEventModel): AuditEvent {
    return Object.assign(new AuditEvent(), e, { personalData: e.personalData.map((r) => Object.assign(new PersonalRead(), r)) });
  }
}

@ObjectType()
export class AuditEventEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => AuditEvent)
  node!: AuditEvent;
}

@ObjectType()
export class AuditEventConnection {
  @Field(() => [AuditEventEdge])
  edges!: AuditEventEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@InputType()
export class AuditEventFilter {
  @Field(() => ID, { nullable: true })
  accountId?: string | null;

  @Field(() => String, { nullable: true, description: 'One root field, such as scanAtGate or operator' })
  operation?: string | null;

  @Field(() => Date, { nullable: true, description: 'Requests at or after this time' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Requests before this time' })
  to?: Date | null;
}
