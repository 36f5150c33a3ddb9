import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Closing the server drops the connections that never sent a request (a browser's preconnect, a client that opened a
 * socket and said nothing). Node closes idle keep-alive connections at close but leaves these to its headers timeout,
 * so the server would take 60–90 s to close; they carry no work, so nothing is lost. A connection upgraded to a
 * WebSocket is its server's to close.
 */
export function dropSilentConnectionsOnClose(fastify: FastifyInstance): void {
  const silent = new Set<Socket>();
  const spoke = (request: IncomingMessage) => silent.delete(request.socket);
  fastify.server.on('connection', (socket: Socket) => {
    silent.add(socket);
    socket.once('close', () => silent.delete(socket));
  });
  fastify.server.on('request', spoke);
  fastify.server.on('upgrade', spoke);
  fastify.addHook('preClose', async () => {
    for (const socket of silent) socket.destroy();
    silent.clear();
  });
}
