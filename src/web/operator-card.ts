import type { EntityManager } from '@mikro-orm/postgresql';
import { operatorCard } from '../credit/operator-card';
import type { OperatorCard } from '../credit/credit.model';

export type { OperatorCard };

/** The card of one operator by its public code, in one statement; null for an unknown code. */
export function operatorCardByCode(em: EntityManager, code: string, now: Date = new Date()): Promise<OperatorCard | null> {
  return operatorCard({ em }, code, now);
}
