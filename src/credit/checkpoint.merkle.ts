import { createHash, createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { CheckpointHead, SignedCheckpoint } from './checkpoint.model';

/**
 * Merkle trees as RFC 6962 (Certificate Transparency) defines them: leaf = sha256(0x00 ‖ data),
 * node = sha256(0x01 ‖ left ‖ right), the empty tree is sha256(""), and a tree of n leaves splits at the largest
 * power of two below n. Pure functions: the server, the offline verifier and anyone else compute the same bytes.
 */

const sha256 = (...parts: Buffer[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** The leaf's data: RFC 8785 JSON of the operator's head. */
export function leafData(head: CheckpointHead): string {
  return canonicalize({ operatorId: head.operatorId, seq: head.seq, hash: head.hash });
}

export function leafHash(head: CheckpointHead): Buffer {
  return sha256(Buffer.from([0]), Buffer.from(leafData(head), 'utf8'));
}

function nodeHash(left: Buffer, right: Buffer): Buffer {
  return sha256(Buffer.from([1]), left, right);
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function subtreeRoot(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leaves[0];
  const k = largestPowerOfTwoBelow(leaves.length);
  return nodeHash(subtreeRoot(leaves.slice(0, k)), subtreeRoot(leaves.slice(k)));
}

/** The Merkle tree hash (hex) over the heads, which must be in operator id order. */
export function merkleRoot(heads: readonly CheckpointHead[]): string {
  return subtreeRoot(heads.map(leafHash)).toString('hex');
}

/** RFC 6962 PATH(m, D[n]): the audit path (hex, bottom up) proving leaf `index` is in the tree of `heads`. */
export function auditPath(heads: readonly CheckpointHead[], index: number): string[] {
  const path = (m: number, leaves: Buffer[]): Buffer[] => {
    if (leaves.length <= 1) return [];
    const k = largestPowerOfTwoBelow(leaves.length);
    if (m < k) return [...path(m, leaves.slice(0, k)), subtreeRoot(leaves.slice(k))];
    return [...path(m - k, leaves.slice(k)), subtreeRoot(leaves.slice(0, k))];
  };
  return path(index, heads.map(leafHash)).map((b) => b.toString('hex'));
}

/** Recomputes the root from a leaf, its index, the tree size and its audit path (RFC 9162 §2.1.3.2). */
export function rootFromAuditPath(head: CheckpointHead, index: number, size: number, path: readonly string[]): string | null {
  if (index < 0 || index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leafHash(head);
  for (const hex of path) {
    const p = Buffer.from(hex, 'hex');
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 ? r.toString('hex') : null;
}

/** The text a checkpoint's signature covers: RFC 8785 JSON of its size, root, signing time and key id. */
export function checkpointMessage(c: Pick<SignedCheckpoint, 'size' | 'root' | 'signedAt' | 'keyId'>): string {
  return canonicalize({ ledger: 'foodtrace-credit', size: c.size, root: c.root, signedAt: c.signedAt, keyId: c.keyId });
}

/** The key id: sha-256 (hex) of the public key's SubjectPublicKeyInfo DER. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** Whether the checkpoint's signature is valid under `publicKeyPem` (and the key is the one it names). */
export function checkpointSignatureValid(c: SignedCheckpoint, publicKeyPem: string): boolean {
  try {
    const key = createPublicKey(publicKeyPem);
    if (keyIdOf(key) !== c.keyId) return false;
    return verifySignature(null, Buffer.from(checkpointMessage(c), 'utf8'), key, Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
}
