/* The signed-in account's new notifications, live: the `notificationAdded` subscription over /graphql/ws, through the
   graphql-ws library's own client (the token in connection_init, never in the URL). The library reconnects a dropped
   socket with backoff; an unknown or revoked token (4403) is not retried. Shared by the regulator desk and the gate. */
import { createClient } from '/static/graphql-ws.js';

/**
 * Calls `onNotice({ id, kind, subject, payload, createdAt })` for each new notification and `onLive(true|false)` as
 * the connection comes and goes, until the returned function is called.
 */
export function liveNotices(token, onNotice, onLive) {
  var client = createClient({
    url: (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql/ws',
    connectionParams: { token: token },
    lazy: false,
    retryAttempts: Infinity,
    shouldRetry: function (e) { return !(e && e.code === 4403); },
    on: {
      connected: function () { if (onLive) onLive(true); },
      closed: function () { if (onLive) onLive(false); },
    },
  });
  var unsubscribe = client.subscribe({ query: 'subscription { notificationAdded { id kind subject payload createdAt } }' }, {
    next: function (result) { if (result.data) onNotice(result.data.notificationAdded); },
    error: function () { /* the closed socket is reported through onLive; the library retries */ },
    complete: function () {},
  });
  return function () {
    if (onLive) onLive = null;
    unsubscribe();
    client.dispose();
  };
}
