import type { CaptureStatus } from '../entities/enums';

/** Why one event of a captured document was not stored. */
export interface CaptureEventError {
  /** The event's place in the document's eventList, from 0; null for an error about the whole document. */
  index: number | null;
  eventID: string | null;
  errors: string[];
}

/** An EPCIS capture job as `GET /epcis/capture/{id}` tells it. */
export interface CaptureJob {
  id: number;
  status: CaptureStatus;
  receivedAt: Date;
  finishedAt: Date | null;
  eventCount: number;
  capturedCount: number;
  /** Events already held under the same event hash: they add nothing. */
  duplicateCount: number;
  errors: CaptureEventError[];
}

/** One event as captured: the document's own JSON, with what the capture derived from it. */
export interface CapturedEvent {
  id: number;
  captureId: number;
  eventHash: string;
  eventId: string | null;
  eventType: string;
  eventTime: Date;
  body: Record<string, unknown>;
  correctedById: number | null;
}

/** The subset of the EPCIS SimpleEventQuery parameters `GET /epcis/events` answers. */
export interface EventQuery {
  eventTypes: string[] | null;
  from: Date | null;
  to: Date | null;
  /** EPCs in epcList/inputEPCList/outputEPCList/childEPCs/parentID and classes, as sent or canonical. */
  epcs: string[] | null;
  bizSteps: string[] | null;
  dispositions: string[] | null;
  readPoints: string[] | null;
  /** Where the page starts: after this event in (event time, event hash) order. */
  after: EventPosition | null;
  limit: number;
}

/** An event's place in the order `GET /epcis/events` pages in: event time, then the CBV event hash. */
export interface EventPosition {
  time: Date;
  hash: string;
}

/** What a foreign identifier is in our registry, if anything. */
export interface IdentifierMapping {
  foreignId: string;
  scheme: string;
  batchId: number | null;
  operatorId: number | null;
  marketId: number | null;
  masterData: Record<string, unknown>;
}
