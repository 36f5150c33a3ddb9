import { isRegulator } from '../auth/access';
import { withPublicLookup, type Context } from '../context';
import { Role } from '../entities/enums';
import { isPublicCode } from '../public-code';
import { batchById, batchIdByPublicCode } from '../tables/batch.table';
import { handoverOf, transferInto } from '../tables/batch-link.table';
import { publicOperatorById } from '../tables/operator.table';
import type { DeliveryNote } from './lineage.model';

/**
 * The delivery note of the hand-over that made a lot (`/handover/:code`, the receiver's lot's public code), or null
 * when the code names no lot or the lot was not handed over. Anyone reads what the public trace shows of it; the
 * document's number only the sender, the receiver (their operator accounts) and regulators.
 */
export async function deliveryNote(ctx: Context, code: string): Promise<DeliveryNote | null> {
  if (!isPublicCode(code)) return null;
  return withPublicLookup(ctx, async (tx) => {
    const receivedId = await batchIdByPublicCode(tx, code);
    const received = receivedId === null ? null : await batchById(tx, receivedId);
    const link = received ? await transferInto(tx, received.id) : null;
    if (!received || !link) return null;
    const sent = await batchById(tx, link.parent_id);
    const [sender, receiver] = await Promise.all([publicOperatorById(tx, sent!.owner_id), publicOperatorById(tx, received.owner_id)]);
    const party = ctx.viewer.role === Role.OPERATOR && (ctx.viewer.operatorId === sent!.owner_id || ctx.viewer.operatorId === received.owner_id);
    const handover = handoverOf(link);
    return {
      receivedPublicCode: received.public_code,
      receivedLotCode: received.lot_code,
      sentLotCode: sent!.lot_code,
      productName: received.product_name,
      quantity: Number(received.quantity),
      unit: received.unit,
      senderName: sender!.name,
      receiverName: receiver!.name,
      recordedAt: new Date(link.created_at),
      handover: handover && (party || isRegulator(ctx.viewer) ? handover : { ...handover, documentNumber: null }),
    };
  });
}
