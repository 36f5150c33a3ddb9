import type { Role } from '../entities/enums';

/** An account as its holder and admins see it; the token hash never leaves the table module. */
export interface AccountModel {
  id: number;
  name: string;
  role: Role;
  marketId: number | null;
  operatorId: number | null;
}
