import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { Role, WebhookDeliveryStatus } from '../entities/enums';
import { markNotificationsRead, notificationsOf } from '../notify/inbox.service';
import { registerWebhook, replayWebhookDelivery, setWebhookSubscriptionActive, webhookDeliveries, webhookSubscriptions } from '../notify/webhook.service';
import { encodeCursor } from '../registry/pagination';
import {
  Notification, NotificationConnection, RegisteredWebhook, RegisterWebhookInput, WebhookDelivery, WebhookDeliveryConnection, WebhookSubscription,
} from '../schema/notify.type';
import * as v from '../validation';

@Resolver(() => Notification)
export class NotifyResolver {
  @Authorized()
  @Query(() => NotificationConnection, { description: "The caller's own inbox, newest first; keyset pagination, first ≤ 100" })
  async notifications(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('unreadOnly', () => Boolean, { nullable: true }) unreadOnly: boolean | null,
  ): Promise<NotificationConnection> {
    const page = await notificationsOf(ctx, v.pageSize('first', first), after, unreadOnly === true);
    return {
      edges: page.nodes.map((n) => ({ cursor: encodeCursor(n.id), node: Notification.from(n) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
      unread: page.unread,
    };
  }

  @Authorized()
  @Mutation(() => [ID], { description: "Marks the caller's own notifications read; the ids now read (others' ids are ignored)" })
  async markNotificationsRead(@Ctx() ctx: Context, @Arg('ids', () => [ID]) ids: string[]): Promise<number[]> {
    return markNotificationsRead(ctx, ids);
  }
}

@Resolver(() => WebhookSubscription)
export class WebhookResolver {
  @Authorized(Role.ADMIN)
  @Mutation(() => RegisteredWebhook, { description: 'Register another system to receive notifications; its signing secret is answered once' })
  async registerWebhook(@Ctx() ctx: Context, @Arg('input', () => RegisterWebhookInput) input: RegisterWebhookInput): Promise<RegisteredWebhook> {
    const { subscription, secret } = await registerWebhook(ctx, input);
    return { subscription: WebhookSubscription.from(subscription), secret };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => WebhookSubscription, { description: 'Stop or resume a subscriber' })
  async setWebhookActive(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('active', () => Boolean) active: boolean): Promise<WebhookSubscription> {
    return WebhookSubscription.from(await setWebhookSubscriptionActive(ctx, id, active));
  }

  @Authorized(Role.ADMIN)
  @Query(() => [WebhookSubscription])
  async webhookSubscriptions(@Ctx() ctx: Context): Promise<WebhookSubscription[]> {
    return (await webhookSubscriptions(ctx)).map(WebhookSubscription.from);
  }

  @Authorized(Role.ADMIN)
  @Query(() => WebhookDeliveryConnection, { description: 'Webhook deliveries, newest first; keyset pagination, first ≤ 100' })
  async webhookDeliveries(
    @Ctx() ctx: Context,
    @Arg('status', () => WebhookDeliveryStatus, { nullable: true }) status: WebhookDeliveryStatus | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<WebhookDeliveryConnection> {
    const page = await webhookDeliveries(ctx, status ?? null, v.pageSize('first', first), after);
    return {
      edges: page.nodes.map((d) => ({ cursor: encodeCursor(d.id), node: WebhookDelivery.from(d) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => WebhookDelivery, { description: 'Post a delivery again (a DEAD one, or one the subscriber lost)' })
  async replayWebhookDelivery(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<WebhookDelivery> {
    return WebhookDelivery.from(await replayWebhookDelivery(ctx, id));
  }
}
