import { Check, Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A signed checkpoint of the credit ledger: the Merkle root over every operator's chain head. Append-only. */
@Entity({ tableName: 'checkpoint' })
@Check({ name: 'checkpoint_size_check', expression: 'size >= 0' })
export class Checkpoint {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  /** How many chain heads (leaves) the tree holds. */
  @Property({ type: 'integer' })
  size!: number;

  @Property({ type: 'string', length: 64, columnType: 'char(64)' })
  root!: string;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  signedAt!: Date;

  /** Ed25519 signature (base64) over the checkpoint's canonical text. */
  @Property({ type: 'text' })
  signature!: string;

  /** sha-256 of the signing key's public key (DER), hex. */
  @Property({ type: 'string', length: 64, columnType: 'char(64)' })
  keyId!: string;

  /** The leaves: [operatorId, seq, head hash] in operator id order. */
  @Property({ type: 'json', columnType: 'jsonb' })
  heads!: unknown;
}
