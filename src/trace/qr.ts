import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import QRCode from 'qrcode';
import type { Db } from '../context';
import { isPublicCode } from '../public-code';
import { batchByGtinLot, publicCodeKind } from '../tables/batch.table';
import { gtinValid } from '../validation';

export type QrFormat = 'png' | 'svg';

/** Pixel width of an image: at least 3 pixels a module for phone cameras, at most what one request may cost to render. */
export const QR_SIZE = { min: 128, max: 1024, default: 256 } as const;

/** What a public code opens: a batch's trace page or an operator's registration card. */
export interface PublicCodeTarget {
  kind: 'batch' | 'operator';
  code: string;
  /** The text the QR code encodes. */
  url: string;
}

/** The page a public code opens, or null for an unknown code; one statement. */
export async function resolvePublicCode(ctx: Db, publicUrl: string, code: string): Promise<PublicCodeTarget | null> {
  if (!isPublicCode(code)) return null;
  const kind = await publicCodeKind(ctx, code);
  if (!kind) return null;
  return { kind, code, url: `${publicUrl}/${kind === 'batch' ? 't' : 'o'}/${code}` };
}

/** The requested size clamped to the bounds; null when it is not a whole number. */
export function qrSize(raw: unknown): number | null {
  if (raw === undefined || raw === '') return QR_SIZE.default;
  if (typeof raw !== 'string' || !/^\d{1,6}$/.test(raw)) return null;
  return Math.min(QR_SIZE.max, Math.max(QR_SIZE.min, Number(raw)));
}

/** A strong validator of an image: the same text, format and size always render the same bytes. */
export function qrEtag(text: string, format: QrFormat, size: number): string {
  return `"${createHash('sha256').update(`${format}\n${size}\n${text}`).digest('base64url').slice(0, 27)}"`;
}

const QUIET_ZONE = 4;

/** Renders a QR code (error correction M, 4-module quiet zone) as PNG bytes or SVG text, `size` pixels wide. */
export async function renderQr(text: string, format: QrFormat, size: number): Promise<Buffer | string> {
  if (format === 'svg') return QRCode.toString(text, { errorCorrectionLevel: 'M', margin: QUIET_ZONE, width: size, type: 'svg' });
  return qrPng(text, size);
}

/**
 * A 1-bit greyscale PNG with whole pixels per module (crisp for cameras, a few kB even at 1024 px). The symbol is
 * centred; the spare pixels widen the quiet zone.
 */
export function qrPng(text: string, size: number): Buffer {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const total = modules.size + 2 * QUIET_ZONE;
  const scale = Math.max(1, Math.floor(size / total));
  const width = Math.max(size, total * scale);
  const offset = Math.floor((width - total * scale) / 2) + QUIET_ZONE * scale;
  const stride = 1 + Math.ceil(width / 8);
  const raw = Buffer.alloc(stride * width, 0xff); // white; filter byte 0xff fixed below
  for (let y = 0; y < width; y++) raw[y * stride] = 0; // filter: none
  for (let r = 0; r < modules.size; r++) {
    const row = Buffer.alloc(stride, 0xff);
    row[0] = 0;
    for (let c = 0; c < modules.size; c++) {
      if (!modules.get(r, c)) continue;
      for (let x = offset + c * scale; x < offset + (c + 1) * scale; x++) row[1 + (x >> 3)] &= ~(0x80 >> (x & 7));
    }
    for (let y = offset + r * scale; y < offset + (r + 1) * scale; y++) row.copy(raw, y * stride);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(width, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, filter 0, no interlace
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(raw, { level: 9 })), pngChunk('IEND', Buffer.alloc(0))]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** A GS1 GTIN-8/12/13/14 normalised to 14 digits, or null when malformed or its check digit is wrong. */
export function normaliseGtin(raw: string): string | null {
  if (!/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(raw) || !gtinValid(raw)) return null;
  return raw.padStart(14, '0');
}

/** The public code of the batch with this GTIN and lot (the first registered, if owners share one), or null. */
export async function findByDigitalLink(ctx: Db, gtin14: string, lot: string): Promise<string | null> {
  if (!lot || lot.length > 64) return null;
  return (await batchByGtinLot(ctx, gtin14, lot))?.public_code ?? null;
}
