/* What the gate scanner and the regulator's desk share: the GraphQL request under the signed-in token, the
   sign-in card and its stored token, and the store for work that waits on the device until the server answered.
   An ES module: the page scripts import it, so each page still loads exactly one script of its own. */

export function byId(id) { return document.getElementById(id); }

/** A new element holding `text` as text (never as markup), with an optional class. */
export function el(tag, text, className) {
  var node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

export function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

/* ---------- requests ---------- */

/** No GraphQL answer came back: the network failed or the server answered something else. */
export function NoAnswer(message) { this.message = message; }

/** A request that did not give data: the server's first error (with its code), or why no answer came. */
export function RequestError(message, code) { this.message = message; this.code = code; }

/** The header that carries the bearer token. */
export function bearer(token) { return { authorization: 'Bearer ' + token }; }

/* Resolves with the HTTP status and the parsed body; rejects with NoAnswer when there is no JSON answer. */
function post(token, query, variables) {
  return fetch('/graphql', {
    method: 'POST',
    headers: Object.assign({ 'content-type': 'application/json' }, bearer(token)),
    body: JSON.stringify({ query: query, variables: variables || {} }),
  }).then(function (res) {
    return res.json().then(
      function (body) { return { status: res.status, body: body }; },
      function () { throw new NoAnswer('HTTP ' + res.status); }
    );
  }, function (e) { throw new NoAnswer(String((e && e.message) || e)); });
}

/** Resolves with the GraphQL body (`data` and/or `errors`); rejects with NoAnswer when no such answer came back. */
export function graphqlAnswer(token, query, variables) {
  return post(token, query, variables).then(function (answer) {
    if (!answer.body.data && !answer.body.errors) throw new NoAnswer('HTTP ' + answer.status);
    return answer.body;
  });
}

/** Resolves with `data`; rejects with a RequestError carrying the server's first message and code. */
export function graphqlData(token, query, variables) {
  return post(token, query, variables).then(function (answer) {
    var body = answer.body;
    if (body.errors && body.errors.length) {
      var e = body.errors[0];
      throw new RequestError(e.message, e.extensions && e.extensions.code);
    }
    if (!body.data) throw new RequestError('HTTP ' + answer.status);
    return body.data;
  }, function (e) {
    throw e instanceof NoAnswer ? new RequestError(e.message) : e;
  });
}

/** The code of a GraphQL body's first error, or null. */
export function errorCode(body) {
  return body.errors && body.errors[0] && body.errors[0].extensions ? body.errors[0].extensions.code : null;
}

/* ---------- sign-in ---------- */

/**
 * The sign-in card (#signin, with #signin-form, #token and #signin-error) shown in place of the page's own
 * section `appId`; `submit(token)` is called with the typed token. The token is stored under `tokenKey`.
 */
export function signInCard(options) {
  var card = {
    stored: function () { return localStorage.getItem(options.tokenKey); },
    remember: function (token) { localStorage.setItem(options.tokenKey, token); },
    forget: function () { localStorage.removeItem(options.tokenKey); },
    show: function (message) {
      byId('signin').classList.remove('hidden');
      byId(options.appId).classList.add('hidden');
      byId('signin-error').textContent = message || '';
    },
    hide: function () {
      byId('signin').classList.add('hidden');
      byId(options.appId).classList.remove('hidden');
    },
    /* Signs in again with the stored token, or shows the empty card. */
    start: function () {
      var token = card.stored();
      if (token) options.submit(token); else card.show('');
    },
  };
  byId('signin-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var token = byId('token').value.trim();
    if (token) options.submit(token);
  });
  return card;
}

/* ---------- what waits on the device ---------- */

export function load(key, fallback) {
  try { var v = localStorage.getItem(key); return v ? JSON.parse(v) : fallback; } catch (e) { return fallback; }
}

export function save(key, value) { localStorage.setItem(key, JSON.stringify(value)); }

/* crypto.randomUUID exists only in secure contexts; a LAN address over http is not one */
export function uuid() {
  if (window.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  var b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
  var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join('');
  return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
}

/**
 * Items stored under `key`, oldest first, each named by its `idField`. An item stays until `remove` — that is,
 * until the server answered it — so a page reloaded offline still holds it.
 */
export function storedQueue(key, idField) {
  var inFlight = {};
  var queue = {
    all: function () { return load(key, []); },
    add: function (item) { var q = queue.all(); q.push(item); save(key, q); },
    remove: function (id) { save(key, queue.all().filter(function (q) { return q[idField] !== id; })); },
    has: function (id) { return queue.all().some(function (q) { return q[idField] === id; }); },
    /* Runs `send()` for the item `id` unless a sending of it is still under way (then resolves false). */
    sendOnce: function (id, send) {
      if (inFlight[id]) return Promise.resolve(false);
      inFlight[id] = true;
      var done = function () { delete inFlight[id]; };
      return send().then(function (value) { done(); return value; }, function (e) { done(); throw e; });
    },
  };
  return queue;
}

/** Runs the steps one at a time, oldest first; stops at the first whose promise resolves false. */
export function inOrder(steps) {
  var step = function (i) {
    if (i >= steps.length) return Promise.resolve();
    return steps[i]().then(function (sent) { return sent ? step(i + 1) : undefined; });
  };
  return step(0);
}

/* ---------- the camera's QR reader: BarcodeDetector where the browser has one, else the served jsQR ---------- */

function loadJsQR() {
  if (window.jsQR) return Promise.resolve();
  return new Promise(function (resolve, reject) {
    var s = document.createElement('script');
    s.src = '/static/jsQR.js';
    s.onload = function () { resolve(); };
    s.onerror = reject;
    document.head.appendChild(s);
  });
}

function pickDetector() {
  if (!('BarcodeDetector' in window)) return Promise.resolve(null);
  return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
    return formats.indexOf('qr_code') >= 0 ? new window.BarcodeDetector({ formats: ['qr_code'] }) : null;
  }, function () { return null; });
}

/**
 * A QR reader on the page's `<video>`: `toggle()` starts the rear camera or stops it, `stop()` stops it. The
 * first text read stops the camera and goes to `onText`; a camera that cannot start goes to `onUnavailable`.
 * `button` shows `labels.scan` or `labels.stop`.
 */
export function qrScanner(options) {
  var video = options.video, button = options.button;
  var stream = null, detector = null, canvas = null;

  function stop() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.srcObject = null;
    video.classList.add('hidden');
    button.textContent = options.labels.scan;
  }

  function readFrame() {
    if (detector) return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
    var scale = Math.min(1, 640 / Math.max(video.videoWidth, video.videoHeight));
    var w = Math.round(video.videoWidth * scale), h = Math.round(video.videoHeight * scale);
    if (!w || !h) return Promise.resolve(null);
    canvas = canvas || document.createElement('canvas');
    canvas.width = w; canvas.height = h;
    var ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(video, 0, 0, w, h);
    var found = window.jsQR(ctx.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: 'attemptBoth' });
    return Promise.resolve(found ? found.data : null);
  }

  function tick() {
    if (!stream) return;
    var next = video.readyState >= 2 ? readFrame() : Promise.resolve(null);
    next.then(function (text) {
      if (!stream) return;
      if (text) { stop(); options.onText(text); return; }
      setTimeout(tick, 150);
    }, function () { setTimeout(tick, 300); });
  }

  function start() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { options.onUnavailable(); return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.classList.remove('hidden');
        button.textContent = options.labels.stop;
        return video.play().then(pickDetector).then(function (d) {
          detector = d;
          return d ? null : loadJsQR();
        }).then(function () { setTimeout(tick, 100); });
      })
      .catch(function () { stop(); options.onUnavailable(); });
  }

  return {
    toggle: function () { if (stream) stop(); else start(); },
    stop: stop,
  };
}
