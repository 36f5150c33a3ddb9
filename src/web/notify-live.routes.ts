import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { AppError } from '../errors';
import type { NotificationHub } from '../notify/live';
import { notificationsOf } from '../notify/inbox.service';
import type { WebDeps } from './request-context';

/** Where a client opens its live notifications. */
export const LIVE_PATH = '/notifications/live';
/** A connection that has not named its account by then is closed. */
export const LIVE_AUTH_TIMEOUT_MS = 10_000;
/** The subprotocol a client names first when it sends its token as the second one. */
export const LIVE_PROTOCOL = 'foodtrace.v1';

const TOKEN = /^ft_[A-Za-z0-9_-]{43}$/;

/** Close codes: 4401 the token is missing, unknown, revoked or expired; 4400 the first message was not an auth message. */
const UNAUTHORIZED = 4401;
const BAD_MESSAGE = 4400;

/**
 * Live notifications over a WebSocket. The client authenticates with its bearer token, either as the first message
 * (`{"type":"auth","token":"ft_…"}`) or as the second `Sec-WebSocket-Protocol` value after `foodtrace.v1`; the
 * server answers `{"type":"ready","accountId","unread"}` and then sends `{"type":"notification",id,eventId,kind,subject}`
 * for each notification of that account as it is delivered. Tokens never travel in the URL (logs keep URLs).
 */
export async function registerLiveNotificationRoutes(fastify: FastifyInstance, deps: WebDeps, hub: NotificationHub): Promise<void> {
  await fastify.register(websocket, { options: { maxPayload: 4096 } });
  fastify.get(LIVE_PATH, { websocket: true }, (socket: WebSocket, request) => {
    let unsubscribe: (() => void) | null = null;
    const send = (message: Record<string, unknown>) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    const refuse = (code: number, reason: string) => {
      send({ type: 'error', code, message: reason });
      socket.close(code, reason);
    };
    const timer = setTimeout(() => refuse(UNAUTHORIZED, 'authenticate within 10 s'), LIVE_AUTH_TIMEOUT_MS);
    timer.unref();
    socket.on('close', () => {
      clearTimeout(timer);
      unsubscribe?.();
    });

    let authenticating = false;
    const authenticate = async (token: string) => {
      authenticating = true;
      clearTimeout(timer);
      try {
        const ctx = await deps.contextFor(TOKEN.test(token) ? token : 'invalid', request.ip);
        if (!ctx.viewer.accountId) return refuse(UNAUTHORIZED, 'a valid bearer token is required');
        const accountId = ctx.viewer.accountId;
        // subscribed before the count is read: a notification delivered in between is sent, not lost
        if (socket.readyState !== socket.OPEN) return;
        unsubscribe = hub.subscribe(accountId, (n) => send({ type: 'notification', id: n.id, eventId: n.eventId, kind: n.kind, subject: n.subject }));
        const inbox = await notificationsOf(ctx, 1, null);
        send({ type: 'ready', accountId, unread: inbox.unread });
      } catch (e) {
        if (e instanceof AppError && e.extensions.code === 'UNAUTHENTICATED') return refuse(UNAUTHORIZED, 'a valid bearer token is required');
        request.log.warn({ err: { message: (e as Error).message } }, 'live notifications: sign-in failed');
        refuse(1011, 'try again shortly');
      }
    };

    const offered = String(request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (offered[0] === LIVE_PROTOCOL && offered[1]) void authenticate(offered[1]);

    socket.on('message', (data) => {
      if (authenticating) return; // after sign-in the client has nothing to say
      let message: { type?: unknown; token?: unknown };
      try {
        message = JSON.parse(String(data));
      } catch {
        return refuse(BAD_MESSAGE, 'the first message must be {"type":"auth","token":…}');
      }
      if (message?.type !== 'auth' || typeof message.token !== 'string') return refuse(BAD_MESSAGE, 'the first message must be {"type":"auth","token":…}');
      void authenticate(message.token);
    });
  });
}
