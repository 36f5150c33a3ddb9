/** Which side of a batch's lineage an EPCIS export covers. */
export enum EpcisDirection {
  BACKWARD = 'BACKWARD',
  FORWARD = 'FORWARD',
  BOTH = 'BOTH',
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EpcisEvent = Record<string, any>;

/** A GS1 EPCIS 2.0 JSON-LD document. */
export interface EpcisDocument {
  '@context': [string, Record<string, string>];
  /** The public export names itself after the trace page it tells. */
  id?: string;
  type: 'EPCISDocument';
  schemaVersion: '2.0';
  creationDate: string;
  epcisBody: { eventList: EpcisEvent[] };
  [extension: `foodtrace:${string}`]: unknown;
}
