import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { NotificationModel, WebhookDeliveryModel, WebhookSubscriptionModel } from '../notify/notify.model';
import { NotificationKind, WebhookDeliveryStatus } from './enums';
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

@ObjectType({ description: 'Another system that receives notifications by signed HTTP POST' })
export class WebhookSubscription implements WebhookSubscriptionModel {
  @Field(() => ID) id!: number;
  @Field(() => String) name!: string;
  @Field(() => String) url!: string;
  @Field(() => [NotificationKind], { description: 'Kinds sent; empty: every kind' }) kinds!: NotificationKind[];
  @Field(() => Boolean) active!: boolean;
  @Field(() => Date) createdAt!: Date;

  static from(s: WebhookSubscriptionModel): WebhookSubscription {
    return Object.assign(new WebhookSubscription(), s);
  }
}

@ObjectType({ description: 'A new subscriber and its signing secret, shown this once' })
export class RegisteredWebhook {
  @Field(() => WebhookSubscription) subscription!: WebhookSubscription;
  @Field(() => String, { description: 'HMAC-SHA256 key of the x-foodtrace-signature header; keep it, it is not shown again' }) secret!: string;
}

@ObjectType({ description: 'One event posted to one subscriber' })
export class WebhookDelivery implements WebhookDeliveryModel {
  @Field(() => ID) id!: number;
  @Field(() => ID) subscriptionId!: number;
  @Field(() => ID) eventId!: number;
  @Field(() => WebhookDeliveryStatus) status!: WebhookDeliveryStatus;
  @Field(() => Int) attempts!: number;
  @Field(() => Int, { nullable: true, description: "The subscriber's last HTTP status" }) lastStatus!: number | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) deliveredAt!: Date | null;

  static from(d: WebhookDeliveryModel): WebhookDelivery {
    return Object.assign(new WebhookDelivery(), d);
  }
}

@ObjectType()
export class WebhookDeliveryEdge {
  @Field(() => String) cursor!: string;
  @Field(() => WebhookDelivery) node!: WebhookDelivery;
}

@ObjectType()
export class WebhookDeliveryConnection {
  @Field(() => [WebhookDeliveryEdge]) edges!: WebhookDeliveryEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@InputType()
export class RegisterWebhookInput {
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'http or https URL the events are posted to' }) url!: string;
  @Field(() => [NotificationKind], { nullable: true, description: 'Default: every kind' }) kinds?: NotificationKind[] | null;
}
