import { HandoverDocumentType } from '../entities/enums';
import { badInput } from '../errors';
import * as v from '../validation';
import type { HandoverDocument, HandoverDocumentData } from './lineage.model';

/**
 * Checks a hand-over document as a client sent it: type and number come together, the number is 1–64 characters,
 * the shipping date is not in the future, the places at most 300 characters. Null when nothing was given.
 */
export function checkHandover(input: HandoverDocumentData | null | undefined): HandoverDocument | null {
  if (!input) return null;
  const documentType = input.documentType ?? null;
  if (documentType !== null && !Object.values(HandoverDocumentType).includes(documentType)) {
    throw badInput('handover.documentType', `must be one of ${Object.values(HandoverDocumentType).join(', ')}`);
  }
  const documentNumber = v.text('handover.documentNumber', input.documentNumber, 64, { optional: true });
  if ((documentType === null) !== (documentNumber === null)) {
    throw badInput(documentType ? 'handover.documentNumber' : 'handover.documentType', 'give the document type and its number together');
  }
  const shippedAt = input.shippedAt == null ? null : v.pastDate('handover.shippedAt', input.shippedAt);
  const shipFrom = v.text('handover.shipFrom', input.shipFrom, 300, { optional: true });
  const shipTo = v.text('handover.shipTo', input.shipTo, 300, { optional: true });
  if (!documentType && !shippedAt && !shipFrom && !shipTo) return null;
  return { documentType, documentNumber, shippedAt, shipFrom, shipTo };
}

/** The document as stored with a gate entry (json) and read back. */
export function handoverToJson(d: HandoverDocument): Record<string, string | null> {
  return { ...d, shippedAt: d.shippedAt ? d.shippedAt.toISOString() : null };
}

export function handoverFromStored(j: Record<string, string | null> | null): HandoverDocument | null {
  if (!j) return null;
  return {
    documentType: (j.documentType as HandoverDocumentType | null) ?? null, documentNumber: j.documentNumber ?? null,
    shippedAt: j.shippedAt ? new Date(j.shippedAt) : null, shipFrom: j.shipFrom ?? null, shipTo: j.shipTo ?? null,
  };
}
