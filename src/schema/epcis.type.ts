import { registerEnumType } from 'type-graphql';

/** Which side of a batch's lineage an EPCIS export covers. */
export enum EpcisDirection {
  BACKWARD = 'BACKWARD',
  FORWARD = 'FORWARD',
  BOTH = 'BOTH',
}

registerEnumType(EpcisDirection, {
  name: 'EpcisDirection',
  description: 'BACKWARD: everything the batch came from; FORWARD: everything made from it; BOTH: the two together',
});
