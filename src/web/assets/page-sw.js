/* Keeps a field page and its scripts on the device, so a phone that reloads without a network still opens the
   page and queues its work. One worker serves every such page: it is served as /static/<page>-sw.js and reads
   which page it looks after from its own name (gate, inspect). Network first: a fresh page or script replaces the
   stored one. The page is stored once per language asked for (/<page>, ?lang=zh, ?lang=en), so an offline reload
   opens in the language its user chose. */
'use strict';

var PAGE = /\/static\/([a-z]+)-sw\.js$/.exec(self.location.pathname)[1];
var PATH = '/' + PAGE;
var CACHE = 'foodtrace-' + PAGE + '-v5';
var PAGES = [PATH, PATH + '?lang=zh', PATH + '?lang=en'];
var SHELL = ['/static/site.css', '/static/client.js', '/static/' + PAGE + '.js', '/static/jsQR.js'];

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(PAGES.concat(SHELL)); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (keys) {
        // only this page's older caches: another page's worker keeps its own
        var old = keys.filter(function (k) { return k !== CACHE && k.indexOf('foodtrace-' + PAGE + '-') === 0; });
        return Promise.all(old.map(function (k) { return caches.delete(k); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

/* The stored page for a page URL: its language decides, other query parameters do not (as on the server). */
function pageKey(url) {
  var lang = (url.searchParams.get('lang') || '').toLowerCase();
  if (lang === 'en' || lang.indexOf('en-') === 0) return PATH + '?lang=en';
  if (lang === 'zh' || lang.indexOf('zh-') === 0) return PATH + '?lang=zh';
  return PATH;
}

/* A stored copy, marked so a reader can tell it did not come from the network. */
function fromCache(key) {
  // the page varies by Accept-Language only when no ?lang is given, and then it is this browser's own
  return caches.match(key, { ignoreVary: true }).then(function (hit) {
    if (!hit) return Response.error();
    var headers = new Headers(hit.headers);
    headers.set('x-served-from', PAGE + '-cache');
    return hit.blob().then(function (body) { return new Response(body, { status: hit.status, statusText: hit.statusText, headers: headers }); });
  });
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  var page = url.pathname === PATH;
  if (!page && SHELL.indexOf(url.pathname) < 0) return;
  var key = page ? pageKey(url) : url.pathname;
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { return cache.put(key, copy); });
      }
      return response;
    }, function () {
      return fromCache(key);
    })
  );
});
