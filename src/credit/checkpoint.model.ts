/** One leaf of a checkpoint: an operator's chain head. */
export interface CheckpointHead {
  operatorId: number;
  seq: number;
  hash: string;
}

/** A signed checkpoint as published: times are ISO text, exactly as signed. */
export interface SignedCheckpoint {
  id: number;
  /** Number of leaves. */
  size: number;
  /** Merkle root, hex. */
  root: string;
  signedAt: string;
  /** Ed25519 signature over `checkpointMessage`, base64. */
  signature: string;
  keyId: string;
}

/** A checkpoint with its leaves, in operator id order. */
export interface CheckpointWithHeads extends SignedCheckpoint {
  heads: CheckpointHead[];
}

/** An inclusion proof of one operator's head in a checkpoint (RFC 6962 audit path, bottom up). */
export interface InclusionProof {
  checkpointId: number;
  operatorId: number;
  seq: number;
  hash: string;
  leafIndex: number;
  treeSize: number;
  root: string;
  auditPath: string[];
}
