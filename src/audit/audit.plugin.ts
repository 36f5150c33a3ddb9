import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { Kind, getOperationAST, type SelectionSetNode } from 'graphql';
import type { Context } from '../context';
import { AuditKind } from '../entities/enums';
import { loggableError } from '../log-safe';
import type { NewAuditEvent } from './audit.model';
import type { AuditWriter } from './audit-writer';
import { maskVariables } from './mask';
import { takePersonalReads } from './personal-reads';

interface Log {
  error(obj: unknown, msg?: string): void;
}

/**
 * The audit trail of the GraphQL API: every request that runs (or tries to run) a mutation, and every request that
 * read a personal-data field, is written as ONE row after it has been answered: who, when, which root fields, the
 * variables (masked), the outcome and the personal-data fields read. Refused and failed calls are recorded too. The
 * rows of concurrent requests are committed together (`AuditWriter`).
 */
export function auditPlugin(log: Log, writer: AuditWriter): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(rc) {
          const event = auditEventOf(rc);
          if (!event) return;
          try {
            await writer.write(event);
          } catch (err) {
            // the answer stands (a mutation has committed); a lost audit row is logged loudly for the operator
            log.error({ err: loggableError(err), operation: event.operation, accountId: event.accountId }, 'audit row not written');
          }
        },
      };
    },
  };
}

function auditEventOf(rc: GraphQLRequestContextWillSendResponse<Context>): NewAuditEvent | null {
  const ctx = rc.contextValue as Context | undefined;
  if (!ctx?.viewer || !ctx.em) return null; // the context was refused (unknown token): nothing ran
  const reads = takePersonalReads(ctx);
  const operation = rc.document ? getOperationAST(rc.document, rc.request.operationName ?? undefined) : null;
  const isMutation = operation?.operation === 'mutation';
  if (!isMutation && reads.length === 0) return null;
  const roots = operation ? rootFields(operation.selectionSet) : [];
  const body = rc.response.body;
  const errors = body.kind === 'single' ? body.singleResult.errors ?? [] : [];
  const codes = [...new Set(errors.map((e) => String(e.extensions?.code ?? 'ERROR')))];
  return {
    accountId: ctx.viewer.accountId,
    role: ctx.viewer.role,
    kind: isMutation ? AuditKind.MUTATION : AuditKind.READ,
    operation: (roots.join(',') || rc.request.operationName || '(unknown)').slice(0, 200),
    variables: maskVariables(rc.request.variables, roots),
    outcome: (codes.length ? codes.join(',') : 'OK').slice(0, 200),
    personalData: reads,
    clientIp: ctx.clientIp,
  };
}

/** The root fields an operation selects, each once, in document order (`__typename` left out). */
function rootFields(set: SelectionSetNode): string[] {
  const out: string[] = [];
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) {
      if (s.name.value !== '__typename' && !out.includes(s.name.value)) out.push(s.name.value);
    } else if (s.kind === Kind.INLINE_FRAGMENT) {
      for (const f of rootFields(s.selectionSet)) if (!out.includes(f)) out.push(f);
    }
  }
  return out;
}
