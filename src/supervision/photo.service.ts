import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import sharp, { type OutputInfo } from 'sharp';
import { assertInspects, isTownWide } from '../auth/access';
import type { Context } from '../context';
import { Role } from '../entities/enums';
import { badInput, forbidden, notFound, unauthenticated } from '../errors';
import { insertPhoto, photoAudience } from '../tables/field-photo.table';
import type { PhotoModel } from './supervision.model';

/** The largest photo accepted, in bytes of the upload. */
export const PHOTO_MAX_BYTES = 8 * 1024 * 1024;
/** The longest side of a stored photo and of its thumbnail, in pixels. */
const STORED_SIDE = 2048;
const THUMB_SIDE = 320;
/** Beyond this many pixels an image is refused before it is decoded (a decompression bomb). */
const MAX_INPUT_PIXELS = 50_000_000;

const SIGNATURES: { type: string; test: (b: Buffer) => boolean }[] = [
  { type: 'jpeg', test: (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'png', test: (b) => b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'webp', test: (b) => b.length > 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP' },
];

export const PHOTO_NAME = /^[0-9a-f]{64}$/;

/** Who may upload photos: field staff for inspections, an operator's account for its answer to an order. */
const UPLOADERS: readonly Role[] = [Role.INSPECTOR, Role.VILLAGE_ASSISTANT, Role.REGULATOR, Role.OPERATOR];

function photoDir(ctx: Pick<Context, 'config'>): string {
  return resolve(ctx.config.dataDir, 'photos');
}

function pathOf(ctx: Pick<Context, 'config'>, sha256: string, thumb: boolean): string {
  return join(photoDir(ctx), sha256.slice(0, 2), `${sha256}${thumb ? '.thumb' : ''}.jpg`);
}

/** Writes a file whole or not at all: a reader never sees half a photo. */
async function writeWhole(path: string, data: Buffer): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, data, { mode: 0o640 });
  await rename(tmp, path);
}

/**
 * Stores an uploaded photo. Its type is told by its content and proved by decoding it (JPEG, PNG or WebP); it is
 * turned upright, re-encoded as JPEG without any metadata (so no GPS position or camera serial is ever served),
 * scaled to at most 2048 px, named by the sha-256 of the stored bytes, with a 320 px thumbnail. Files are written
 * before the record, so a record never names a missing file; the same picture again is the same photo.
 */
export async function storePhoto(ctx: Context, data: Buffer): Promise<PhotoModel> {
  if (!ctx.viewer.role) throw unauthenticated();
  if (!UPLOADERS.includes(ctx.viewer.role)) throw forbidden('This account may not upload photos');
  if (data.length === 0) throw badInput('photo', 'is empty');
  if (data.length > PHOTO_MAX_BYTES) throw badInput('photo', `must be at most ${PHOTO_MAX_BYTES} bytes`);
  const kind = SIGNATURES.find((s) => s.test(data));
  if (!kind) throw badInput('photo', 'must be a JPEG, PNG or WebP image');
  let stored: { data: Buffer; info: OutputInfo };
  let thumb: Buffer;
  try {
    const meta = await sharp(data, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
    if (meta.format !== kind.type) throw new Error('format mismatch');
    const upright = sharp(data, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).rotate();
    stored = await upright.clone().resize({ width: STORED_SIDE, height: STORED_SIDE, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' }).jpeg({ quality: 85, mozjpeg: true }).toBuffer({ resolveWithObject: true });
    thumb = await upright.clone().resize({ width: THUMB_SIDE, height: THUMB_SIDE, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' }).jpeg({ quality: 75 }).toBuffer();
  } catch {
    throw badInput('photo', `is not a readable ${kind.type.toUpperCase()} image`);
  }
  const sha256 = createHash('sha256').update(stored.data).digest('hex');
  await mkdir(join(photoDir(ctx), sha256.slice(0, 2)), { recursive: true });
  await writeWhole(pathOf(ctx, sha256, false), stored.data);
  await writeWhole(pathOf(ctx, sha256, true), thumb);
  const photo: PhotoModel = { sha256, mediaType: 'image/jpeg', width: stored.info.width, height: stored.info.height, bytes: stored.data.length };
  await insertPhoto(ctx, { ...photo, uploadedById: ctx.viewer.accountId });
  return photo;
}

/**
 * A stored photo or its thumbnail, for those who may see it: town-wide roles any; a village assistant those of its
 * village's inspections and orders, and its own uploads; an operator's account those of its own inspections and
 * orders, and its own uploads. Anyone else is refused; an unknown name is NOT_FOUND.
 */
export async function readPhoto(ctx: Context, sha256: string, thumb: boolean): Promise<Buffer> {
  if (!ctx.viewer.role) throw unauthenticated();
  if (!PHOTO_NAME.test(sha256)) throw notFound('Photo', sha256);
  const audience = await photoAudience(ctx, sha256);
  if (!audience) throw notFound('Photo', sha256);
  const v = ctx.viewer;
  const own = audience.uploadedById !== null && audience.uploadedById === v.accountId;
  if (!isTownWide(v) && !own) {
    if (v.role === Role.VILLAGE_ASSISTANT) {
      if (!audience.villages.some((village) => village === v.village)) assertInspects(v, null);
    } else if (v.role === Role.OPERATOR) {
      if (!audience.operatorIds.includes(v.operatorId ?? -1)) throw forbidden('This account may not see that photo');
    } else throw forbidden('This account may not see that photo');
  }
  return readFile(pathOf(ctx, sha256, thumb));
}
