import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { keyIdOf } from './checkpoint.merkle';

/** The ledger's Ed25519 signing key. It lives outside the database, so whoever owns the database cannot re-sign. */
export interface LedgerKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  keyId: string;
  sign(message: string): string;
}

export class LedgerKeyError extends Error {}

const cache = new Map<string, LedgerKey>();

function fromPrivate(privateKey: KeyObject): LedgerKey {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new LedgerKeyError('LEDGER_SIGNING_KEY must be an Ed25519 private key');
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
    sign: (message) => sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64'),
  };
}

/** A private key given as PEM, or as base64 of its PKCS#8 DER. */
export function parseLedgerKey(text: string): LedgerKey {
  const trimmed = text.trim();
  try {
    const key = trimmed.startsWith('-----BEGIN')
      ? createPrivateKey(trimmed)
      : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
    return fromPrivate(key);
  } catch (e) {
    if (e instanceof LedgerKeyError) throw e;
    throw new LedgerKeyError('LEDGER_SIGNING_KEY is not a PEM or base64 PKCS#8 private key');
  }
}

/**
 * The signing key: LEDGER_SIGNING_KEY when set, else `DATA_DIR/ledger-key.pem`, generated (mode 0600) on first use.
 * Never stored in a table.
 */
export function ledgerKey(config: { ledgerSigningKey: string | null; dataDir: string }): LedgerKey {
  const where = config.ledgerSigningKey ? `env:${config.ledgerSigningKey}` : `file:${resolve(config.dataDir)}`;
  const known = cache.get(where);
  if (known) return known;
  let key: LedgerKey;
  if (config.ledgerSigningKey) {
    key = parseLedgerKey(config.ledgerSigningKey);
  } else {
    const file = resolve(config.dataDir, 'ledger-key.pem');
    if (!existsSync(file)) {
      mkdirSync(resolve(config.dataDir), { recursive: true });
      const { privateKey } = generateKeyPairSync('ed25519');
      // 'wx' fails if another process created the file meanwhile; that key is then read below
      try {
        writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      chmodSync(file, 0o600);
    }
    key = parseLedgerKey(readFileSync(file, 'utf8'));
  }
  cache.set(where, key);
  return key;
}
