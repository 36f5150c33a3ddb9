import type { AuditKind, Role } from '../entities/enums';

/** One personal-data field read: which field of which record. */
export interface PersonalRead {
  type: string;
  field: string;
  id: number | string | null;
}

/** One request that changed something or read personal data. */
export interface AuditEventModel {
  id: number;
  at: Date;
  accountId: number | null;
  role: Role | null;
  kind: AuditKind;
  /** The root fields the request ran, comma-separated (`scanAtGate`, `operator,operators`). */
  operation: string;
  /** The request's variables, secrets and personal data masked. */
  variables: Record<string, unknown>;
  /** OK, or the error codes the caller was answered, comma-separated. */
  outcome: string;
  personalData: PersonalRead[];
  clientIp: string | null;
}

export type NewAuditEvent = Omit<AuditEventModel, 'id' | 'at'>;

export interface AuditFilter {
  accountId: number | null;
  operation: string | null;
  from: Date | null;
  to: Date | null;
}
