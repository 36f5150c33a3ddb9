import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../context';
import { Role, WebhookDeliveryStatus } from '../entities/enums';
import { AppError, unauthenticated } from '../errors';
import { markNotificationsRead, notificationOf, notificationsOf } from '../notify/inbox.service';
import { liveNoticesOf } from '../notify/live';
import type { LiveNotice } from '../notify/notify.model';
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

  @Authorized()
  @Subscription(() => Notification, {
    description: "Each new notification of the caller's own inbox as it is delivered (graphql-ws at /graphql/ws); the same rows the inbox holds, once each",
    subscribe: ({ context }) => {
      const ctx = context as Context;
      if (!ctx.viewer.accountId) throw unauthenticated();
      const live = liveNoticesOf(ctx, ctx.viewer.accountId);
      if (!live) throw new AppError('BAD_USER_INPUT', 'subscriptions are served over the WebSocket at /graphql/ws (graphql-transport-ws)');
      return live;
    },
  })
  async notificationAdded(@Root() notice: LiveNotice, @Ctx() ctx: Context): Promise<Notification> {
    const n = await notificationOf(ctx, notice.id);
    // the hub hands only the account's own rows; a row gone since (its event deleted) is told as it was announced
    return Notification.from(n ?? { id: notice.id, eventId: notice.eventId, kind: notice.kind, subject: notice.subject, payload: {}, createdAt: new Date(), readAt: null });
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
