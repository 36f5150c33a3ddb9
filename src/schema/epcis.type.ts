import { registerEnumType } from 'type-graphql';
import { EpcisDirection } from '../trace/epcis.model';

export { EpcisDirection };

registerEnumType(EpcisDirection, {
  name: 'EpcisDirection',
  description: 'BACKWARD: everything the batch came from; FORWARD: everything made from it; BOTH: the two together',
});
