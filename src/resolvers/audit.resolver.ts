import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import { listAuditEvents } from '../audit/audit.service';
import type { Context } from '../context';
import { Role } from '../entities/enums';
import { encodeCursor } from '../registry/pagination';
import { AuditEvent, AuditEventConnection, AuditEventFilter } from '../schema/audit.type';
import * as v from '../validation';

@Resolver()
export class AuditResolver {
  @Authorized(Role.ADMIN)
  @Query(() => AuditEventConnection, { description: 'The audit trail, newest first; keyset pagination, first ≤ 100; ADMIN only' })
  async auditEvents(
    @Ctx() ctx: Context,
    @Arg('filter', () => AuditEventFilter, { nullable: true }) filter: AuditEventFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<AuditEventConnection> {
    const page = await listAuditEvents(
      ctx,
      {
        accountId: filter?.accountId != null ? v.id('filter.accountId', filter.accountId) : null,
        operation: filter?.operation != null ? v.text('filter.operation', filter.operation, 200) : null,
        from: filter?.from ?? null,
        to: filter?.to ?? null,
      },
      v.pageSize('first', first),
      after,
    );
    return {
      edges: page.nodes.map((e) => ({ cursor: encodeCursor(e.id), node: AuditEvent.from(e) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }
}
