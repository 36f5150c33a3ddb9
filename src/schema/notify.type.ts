import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { NotificationModel } from '../notify/notify.model';
import { NotificationKind } from './enums';
import { PageInfo } from './page-info.type';

@ObjectType({ description: "One event in the caller's inbox" })
export class Notification implements NotificationModel {
  @Field(() => ID) id!: number;
  @Field(() => ID, { description: 'The event: the same id reaches every recipient, once each' }) eventId!: number;
  @Field(() => NotificationKind) kind!: NotificationKind;
  @Field(() => String) subject!: string;
  @Field(() => GraphQLJSONObject) payload!: Record<string, unknown>;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) readAt!: Date | null;

  static from(n: NotificationModel): Notification {
    return Object.assign(new Notification(), n);
  }
}

@ObjectType()
export class NotificationEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Notification) node!: Notification;
}

@ObjectType()
export class NotificationConnection {
  @Field(() => [NotificationEdge]) edges!: NotificationEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int, { description: 'Unread notifications in the inbox' }) unread!: number;
}
