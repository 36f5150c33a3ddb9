/* Keeps the gate page and its scripts on the device, so a gate phone that reloads without a network still
   opens the scanner and queues scans. Network first: a fresh page or script replaces the stored one. */
'use strict';

var CACHE = 'foodtrace-gate-v1';
var SHELL = ['/gate', '/static/site.css', '/static/gate.js', '/static/jsQR.js'];

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (keys) { return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); })); })
      .then(function () { return self.clients.claim(); })
  );
});

/* A stored copy, marked so a reader can tell it did not come from the network. */
function fromCache(request, fallback) {
  return caches.match(request).then(function (hit) { return hit || (fallback ? caches.match(fallback) : undefined); }).then(function (hit) {
    if (!hit) return Response.error();
    var headers = new Headers(hit.headers);
    headers.set('x-served-from', 'gate-cache');
    return hit.blob().then(function (body) { return new Response(body, { status: hit.status, statusText: hit.statusText, headers: headers }); });
  });
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  var page = url.pathname === '/gate';
  if (!page && SHELL.indexOf(url.pathname) < 0) return;
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
      }
      return response;
    }, function () {
      return fromCache(request, page ? '/gate' : null);
    })
  );
});
