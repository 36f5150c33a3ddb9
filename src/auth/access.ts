import { Role } from '../entities/enums';
import { forbidden, unauthenticated } from '../errors';
import type { Viewer } from './viewer.model';

/** Ownership: an operator's account acts only for its own operator; admins and regulators for any. */
export function assertActsFor(viewer: Viewer, operatorId: number): void {
  if (!viewer.role) throw unauthenticated();
  if (viewer.role === Role.ADMIN || viewer.role === Role.REGULATOR) return;
  if (viewer.role === Role.OPERATOR && viewer.operatorId === operatorId) return;
  throw forbidden('This account may not act for that operator');
}

/** Gate staff act only at their own market; admins and regulators at any. */
export function assertWorksAt(viewer: Viewer, marketId: number): void {
  if (!viewer.role) throw unauthenticated();
  if (viewer.role === Role.ADMIN || viewer.role === Role.REGULATOR) return;
  if (viewer.role === Role.GATE_STAFF && viewer.marketId === marketId) return;
  throw forbidden('This account may not act at that market');
}

export function isRegulator(viewer: Viewer): boolean {
  return viewer.role === Role.ADMIN || viewer.role === Role.REGULATOR;
}
