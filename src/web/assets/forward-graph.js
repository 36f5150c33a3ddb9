/* The forward-impact graph on the regulator's desk: for a lot (batch id or trace code), everything made from it, laid
   out by the server (GET /regulator/forward-graph/:lot, dagre) and drawn here as SVG. The reader pans by dragging or
   scrolling, zooms with the buttons or + and -, moves between lots with the arrow keys or Tab, and opens a lot's
   details (or expands a "+N more" box) with Enter, Space or a click. Text goes in through textContent only. */
import { bearer, byId } from '/static/client.js';

var SVG = 'http://www.w3.org/2000/svg';
var T = null;
var token = null;
var state = { lot: null, expand: [], zoom: 1, graph: null, selected: null };

function svg(tag, attrs) {
  var node = document.createElementNS(SVG, tag);
  Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
  return node;
}
function fill(text, values) { return text.replace(/\{(\w+)\}/g, function (_, k) { return String(values[k]); }); }
function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

var dateFormat = null;
function when(iso) {
  if (!dateFormat) dateFormat = new Intl.DateTimeFormat(T.lang === 'zh' ? 'zh-CN' : 'en-GB', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
  return dateFormat.format(new Date(iso));
}

function request() {
  var q = state.expand.length ? '?expand=' + state.expand.join(',') + '&lang=' + T.lang : '?lang=' + T.lang;
  return fetch('/regulator/forward-graph/' + encodeURIComponent(state.lot) + q, { headers: bearer(token) }).then(function (res) {
    return res.json().then(function (body) {
      if (!res.ok) throw new Error((body && body.error && body.error.message) || 'HTTP ' + res.status);
      return body;
    });
  });
}

function show() {
  byId('impact-error').textContent = '';
  return request().then(function (graph) {
    state.graph = graph;
    draw(graph);
    byId('impact-view').classList.remove('hidden');
    var shown = graph.boxes.filter(function (b) { return b.kind === 'lot'; }).length;
    byId('impact-summary').textContent = fill(T.summary, { total: graph.totalBatches, shown: shown }) + (graph.truncated ? ' · ' + T.truncated : '');
  }).catch(function (e) { byId('impact-error').textContent = T.error + ': ' + ((e && e.message) || String(e)); });
}

function boxLabel(b, lot) {
  if (b.kind === 'more') return fill(T.more, { n: b.hidden });
  return [lot.productName, lot.owner.name, lot.lotCode, T.statuses[lot.status] || lot.status].join(', ');
}

function draw(graph) {
  var host = byId('impact-graph');
  clear(host);
  var lots = {};
  graph.lots.forEach(function (l) { lots[l.id] = l; });
  var root = svg('svg', { width: graph.width * state.zoom, height: graph.height * state.zoom, viewBox: '0 0 ' + graph.width + ' ' + graph.height, role: 'presentation' });
  var defs = svg('defs');
  var marker = svg('marker', { id: 'impact-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  var tip = svg('path', { d: 'M0 0L10 5L0 10z', 'class': 'arrow' });
  marker.appendChild(tip);
  defs.appendChild(marker);
  root.appendChild(defs);
  var links = svg('g', { 'class': 'links' });
  graph.edges.forEach(function (e) {
    var d = e.points.map(function (p, i) { return (i ? 'L' : 'M') + p.x.toFixed(1) + ' ' + p.y.toFixed(1); }).join(' ');
    links.appendChild(svg('path', { d: d, 'marker-end': 'url(#impact-arrow)' }));
  });
  root.appendChild(links);
  // boxes in reading order (top to bottom, left to right), so Tab follows the picture
  var boxes = graph.boxes.slice().sort(function (a, b) { return a.y - b.y || a.x - b.x; });
  boxes.forEach(function (b) {
    var lot = lots[b.batchId];
    var cls = 'box ' + b.kind + (b.kind === 'lot' && b.batchId === graph.batch.id ? ' current' : '') + (b.status === 'RECALLED' ? ' recalled' : '');
    var g = svg('g', { 'class': cls, tabindex: 0, role: 'button', 'data-key': b.key, 'data-batch': b.batchId });
    g.setAttribute('aria-label', boxLabel(b, lot));
    g.appendChild(svg('rect', { x: b.x, y: b.y, width: b.width, height: b.height, rx: 6 }));
    if (b.kind === 'more') {
      var t = svg('text', { x: b.x + b.width / 2, y: b.y + b.height / 2 + 5, 'text-anchor': 'middle' });
      t.textContent = fill(T.moreShort, { n: b.hidden });
      g.appendChild(t);
    } else {
      b.lines.forEach(function (line, i) {
        var text = svg('text', { x: b.x + 8, y: b.y + 19 + i * 17 });
        if (i === 0) text.setAttribute('class', 'name');
        text.textContent = line;
        g.appendChild(text);
      });
    }
    g.addEventListener('click', function () { activate(b); });
    g.addEventListener('keydown', function (ev) { onKey(ev, b); });
    root.appendChild(g);
  });
  host.appendChild(root);
}

function boxElement(key) { return byId('impact-graph').querySelector('[data-key="' + key + '"]'); }

function activate(b) {
  if (b.kind === 'more') {
    // show every lot made from this one, then keep the reader where they were
    if (state.expand.indexOf(b.batchId) < 0) state.expand.push(b.batchId);
    show().then(function () { var el = boxElement('b' + b.batchId); if (el) el.focus(); });
    return;
  }
  details(b.batchId);
}

function details(batchId) {
  var lot = state.graph.lots.filter(function (l) { return l.id === batchId; })[0];
  if (!lot) return;
  var prev = byId('impact-graph').querySelector('.selected');
  if (prev) prev.classList.remove('selected');
  var el = boxElement('b' + batchId);
  if (el) el.classList.add('selected');
  var dl = byId('impact-facts');
  clear(dl);
  var unit = function (q) { return (Math.round(q * 1000) / 1000) + ' ' + (T.units[lot.unit] || lot.unit); };
  var pairs = [
    [T.product, lot.productName + ' · ' + lot.lotCode],
    [T.owner, lot.owner.name + ' (' + (T.kinds[lot.owner.kind] || lot.owner.kind) + (lot.owner.village ? ', ' + lot.owner.village : '') + ')'],
    [T.quantity, unit(lot.quantity)],
    [T.remaining, unit(lot.remaining)],
    [T.status, T.statuses[lot.status] || lot.status],
    [T.entries, lot.entries.length ? lot.entries.map(function (e) { return e.marketName + ' · ' + (T.decisions[e.decision] || e.decision) + ' · ' + e.vendorName + ' · ' + when(e.at); }).join('; ') : T.noEntries],
    [T.tests, lot.tests.length ? lot.tests.map(function (i) { return (T.results[i.result] || i.result) + (i.marketName ? ' · ' + i.marketName : '') + ' · ' + when(i.at); }).join('; ') : T.noEntries],
  ];
  pairs.forEach(function (p) { dl.appendChild(document.createElement('dt')).textContent = p[0]; dl.appendChild(document.createElement('dd')).textContent = p[1]; });
  byId('impact-details').classList.remove('hidden');
  state.selected = batchId;
}

/* The box nearest in a direction: below or above (a child or parent rank), or beside (same rank). */
function neighbour(b, key) {
  var cx = b.x + b.width / 2;
  var cy = b.y + b.height / 2;
  var best = null;
  var bestScore = Infinity;
  state.graph.boxes.forEach(function (o) {
    if (o.key === b.key) return;
    var dx = o.x + o.width / 2 - cx;
    var dy = o.y + o.height / 2 - cy;
    var ok = key === 'ArrowDown' ? dy > 1 : key === 'ArrowUp' ? dy < -1 : key === 'ArrowRight' ? dx > 1 && Math.abs(dy) < 1 : dx < -1 && Math.abs(dy) < 1;
    if (!ok) return;
    var score = key === 'ArrowDown' || key === 'ArrowUp' ? Math.abs(dy) * 4 + Math.abs(dx) : Math.abs(dx);
    if (score < bestScore) { bestScore = score; best = o; }
  });
  return best;
}

function onKey(ev, b) {
  if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); activate(b); return; }
  if (/^Arrow/.test(ev.key)) {
    var next = neighbour(b, ev.key);
    ev.preventDefault();
    if (next) boxElement(next.key).focus();
  }
}

function zoom(factor) {
  state.zoom = factor === null ? 1 : Math.min(2, Math.max(0.3, state.zoom * factor));
  var root = byId('impact-graph').querySelector('svg');
  if (root && state.graph) { root.setAttribute('width', state.graph.width * state.zoom); root.setAttribute('height', state.graph.height * state.zoom); }
}

/* drag to pan: the graph's box scrolls */
function pannable(host) {
  var from = null;
  host.addEventListener('pointerdown', function (ev) {
    if (ev.pointerType === 'mouse' && ev.button !== 0) return;
    from = { x: ev.clientX, y: ev.clientY, left: host.scrollLeft, top: host.scrollTop, moved: false };
  });
  host.addEventListener('pointermove', function (ev) {
    if (!from) return;
    var dx = ev.clientX - from.x;
    var dy = ev.clientY - from.y;
    if (!from.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    from.moved = true;
    host.scrollLeft = from.left - dx;
    host.scrollTop = from.top - dy;
  });
  ['pointerup', 'pointercancel', 'pointerleave'].forEach(function (name) { host.addEventListener(name, function () { from = null; }); });
  host.addEventListener('keydown', function (ev) {
    if (ev.key === '+' || ev.key === '=') zoom(1.25);
    else if (ev.key === '-') zoom(0.8);
  });
}

var attached = false;

/** Called by desk-charts.js with the signed-in token and the desk's chart texts. */
export function attach(signedInToken, texts) {
  token = signedInToken;
  T = texts;
  if (attached) return;
  attached = true;
  pannable(byId('impact-graph'));
  byId('impact-zoom-in').addEventListener('click', function () { zoom(1.25); });
  byId('impact-zoom-out').addEventListener('click', function () { zoom(0.8); });
  byId('impact-zoom-reset').addEventListener('click', function () { zoom(null); });
  byId('impact-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var lot = byId('impact-lot').value.trim();
    if (!lot) { byId('impact-error').textContent = T.needLot; return; }
    state = { lot: lot, expand: [], zoom: 1, graph: null, selected: null };
    byId('impact-details').classList.add('hidden');
    show();
  });
}
