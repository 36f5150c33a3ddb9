import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { markNotificationsRead, notificationsOf } from '../notify/inbox.service';
import { encodeCursor } from '../registry/pagination';
import { Notification, NotificationConnection } from '../schema/notify.type';
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
