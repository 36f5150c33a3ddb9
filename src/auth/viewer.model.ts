import { Role } from '../entities/enums';

/** Who is asking: an account, or the anonymous public. */
export interface Viewer {
  accountId: number | null;
  name: string | null;
  role: Role | null;
  marketId: number | null;
  operatorId: number | null;
  /** Set for VILLAGE_ASSISTANT: the one village it sees and inspects. */
  village?: string | null;
}

export const ANONYMOUS: Viewer = Object.freeze({ accountId: null, name: null, role: null, marketId: null, operatorId: null, village: null });
