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

/** Roles that inspect in the field: town inspectors and regulators anywhere, a village assistant in its village. */
export const FIELD_ROLES: readonly Role[] = [Role.INSPECTOR, Role.VILLAGE_ASSISTANT, Role.REGULATOR];

/** Sees every village's inspections, orders and photos: regulators, admins and town inspectors. */
export function isTownWide(viewer: Viewer): boolean {
  return viewer.role === Role.ADMIN || viewer.role === Role.REGULATOR || viewer.role === Role.INSPECTOR;
}

/** The one village a viewer is held to, or null for a town-wide viewer. */
export function villageScope(viewer: Viewer): string | null {
  return viewer.role === Role.VILLAGE_ASSISTANT ? viewer.village ?? '' : null;
}

/**
 * May this viewer see and inspect an operator of that village: town-wide roles any, a village assistant only its own
 * village's (an operator with no village belongs to none).
 */
export function assertInspects(viewer: Viewer, village: string | null): void {
  if (!viewer.role) throw unauthenticated();
  if (isTownWide(viewer)) return;
  if (viewer.role === Role.VILLAGE_ASSISTANT && viewer.village && village === viewer.village) return;
  if (viewer.role === Role.VILLAGE_ASSISTANT) throw forbidden('This account may act only in its own village');
  throw forbidden('This account may not inspect');
}
