import type { Role } from '../entities/enums';

/** An account as its holder and admins see it; the token hash never leaves the table module. */
export interface AccountModel {
  id: number;
  name: string;
  role: Role;
  marketId: number | null;
  operatorId: number | null;
  /** Set for VILLAGE_ASSISTANT: its village. */
  village: string | null;
  createdAt: Date;
  /** When its token stops working; null: it does not expire. */
  expiresAt: Date | null;
  /** When it was revoked; a revoked account never signs in again. */
  revokedAt: Date | null;
  /** The last request made with its token, recorded at most once a minute. */
  lastUsedAt: Date | null;
}
