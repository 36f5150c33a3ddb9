import type { Grade, OperatorKind, OperatorStatus } from '../entities/enums';

/**
 * What anyone may see of an operator: the trace's owners and producers, the gate answer's producer, the vendor list.
 * It names no contact data; the private view is `Operator`, a separate type on purpose.
 */
export interface PublicOperator {
  id: number;
  kind: OperatorKind;
  name: string;
  /** Unified social credit code, else the town registration-card number. */
  registrationNumber: string | null;
  village: string | null;
  status: OperatorStatus;
  grade: Grade;
  publicCode: string;
}

export interface OperatorCredit {
  operatorId: number;
  score: number;
  grade: Grade;
  forcedUntil: Date | null;
}

/** An operator as regulators, admins and the operator itself see it. */
export interface Operator {
  id: number;
  kind: OperatorKind;
  name: string;
  creditCode: string | null;
  registrationCardNo: string | null;
  village: string | null;
  address: string | null;
  contactPerson: string | null;
  contactPhone: string | null;
  status: OperatorStatus;
  publicCode: string;
  createdAt: Date;
  credit: OperatorCredit;
}

/** The public view of an operator: the private one with its contact data and credit details left out. */
export function publicView(o: Operator): PublicOperator {
  return {
    id: o.id,
    kind: o.kind,
    name: o.name,
    registrationNumber: o.creditCode ?? o.registrationCardNo,
    village: o.village,
    status: o.status,
    grade: o.credit.grade,
    publicCode: o.publicCode,
  };
}
