import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { PHOTO_MAX_BYTES, readPhoto, storePhoto } from '../supervision/photo.service';
import { failure, failureOf, sendFailure } from './http-errors';
import type { WebDeps } from './request-context';

/**
 * Field photos: `POST /inspect/photos` takes one image as multipart/form-data (field `photo`) and answers its stored
 * record; `GET /inspect/photos/{sha256}.jpg` and `.thumb.jpg` serve it to those who may see it (bearer token).
 */
export async function registerSupervisionRoutes(fastify: FastifyInstance, _deps: WebDeps): Promise<void> {
  await fastify.register(async (scoped) => {
    await scoped.register(multipart, { limits: { fileSize: PHOTO_MAX_BYTES, files: 1, fields: 0, parts: 1 } });
    scoped.post('/inspect/photos', async (request, reply) => {
      try {
        const ctx = await request.context();
        if (!request.isMultipart()) return sendFailure(reply, failure('BAD_USER_INPUT', 'send the photo as multipart/form-data in field "photo"', 'photo'));
        const part = await request.file();
        if (!part || part.fieldname !== 'photo') return sendFailure(reply, failure('BAD_USER_INPUT', 'send the photo in field "photo"', 'photo'));
        let data: Buffer;
        try {
          data = await part.toBuffer();
        } catch (e) {
          if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
            return sendFailure(reply, { status: 413, code: 'BAD_USER_INPUT', message: `photo: must be at most ${PHOTO_MAX_BYTES} bytes`, field: 'photo' });
          }
          throw e;
        }
        const photo = await storePhoto(ctx, data);
        return reply.code(201).header('cache-control', 'no-store').send(photo);
      } catch (e) {
        return sendFailure(reply, failureOf(e, request.log));
      }
    });
  });

  fastify.get<{ Params: { name: string } }>('/inspect/photos/:name', async (request, reply) => {
    const m = /^([0-9a-f]{64})(\.thumb)?\.jpg$/.exec(request.params.name);
    if (!m) return sendFailure(reply, failure('NOT_FOUND', 'No such photo'));
    try {
      const ctx = await request.context();
      const data = await readPhoto(ctx, m[1], !!m[2]);
      // who may see a photo can change, so a browser asks again each time
      return reply.header('content-type', 'image/jpeg').header('cache-control', 'private, no-cache').send(data);
    } catch (e) {
      return sendFailure(reply, failureOf(e, request.log));
    }
  });
}
