/* The regulator desk's charts. Chart.js (served by us) and the numbers (GET /regulator/charts under the signed-in
   token) are fetched only when the charts card comes into view, so the desk opens as fast as before. Every chart has
   a table of the same numbers behind it: read by screen readers through aria-describedby, shown on request.
   The forward-impact graph is its own module, loaded on the first lot asked for. Data reaches the page only
   through textContent, never as markup. */
import { bearer, byId } from '/static/client.js';

var T = JSON.parse(byId('desk-charts-text').textContent);
var token = null;
var started = false;
var charts = {};

/* A grade's colour matches its badge on the desk; decisions are green, amber and red as at the gate. */
var COLOURS = {
  A: '#1b7a35', B: '#2c6fb7', C: '#b86e00', D: '#b00020',
  ACCEPTED: '#1b7a35', TEST_REQUIRED: '#b86e00', REJECTED: '#b00020',
  PASS: '#1b7a35', FAIL: '#b00020', passRate: '#0b4f9c', events: '#0b4f9c', incidents: '#b00020', drills: '#6b6b6b', total: '#1b7a35',
};

/* How each chart is drawn: its type, whether bars stack, the column naming its labels, and how a series is named.
   A chart the server sends that is not listed here is drawn as plain bars (the hook for further charts). */
var KINDS = {
  grades: { type: 'line', labelColumn: 'month' },
  creditRules: { type: 'bar', labelColumn: 'rule', horizontal: true },
  gateDecisions: { type: 'bar', stacked: true, labelColumn: 'day' },
  testPassRate: { type: 'line', labelColumn: 'month', only: ['passRate'], percent: true },
  incidents: { type: 'bar', labelColumn: 'month' },
  villageScorecards: { type: 'bar', labelColumn: 'village', horizontal: true, only: ['total'], outOf: 100, drill: true },
};

function el(tag, text, className) {
  var node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function seriesName(s) {
  var name = T.decisions[s.key] || T.columns[s.key] || (T.indicators[s.key] && T.indicators[s.key].name) || s.key;
  return s.market ? s.market.name + ' · ' + name : name;
}

function labelText(kind, label) {
  if (kind.labelColumn === 'rule') return T.rules[label] || label;
  return label;
}

function cell(v) { return v === null || v === undefined ? T.none : String(v); }

function titleOf(chart) { return (T.titles[chart.key] || chart.key).replace('{year}', String(chart.year)); }

/* The table behind a chart: a row per label, a column per series. */
function dataTable(chart, kind, id) {
  var wrap = el('div', null, 'chart-table visually-hidden');
  wrap.id = id;
  var table = el('table');
  table.appendChild(el('caption', titleOf(chart)));
  var head = el('tr');
  head.appendChild(el('th', T.columns[kind.labelColumn] || ''));
  chart.series.forEach(function (s) { head.appendChild(el('th', seriesName(s))); });
  var thead = el('thead');
  thead.appendChild(head);
  table.appendChild(thead);
  var body = el('tbody');
  chart.labels.forEach(function (label, i) {
    var tr = el('tr');
    var th = el('th', labelText(kind, label));
    th.scope = 'row';
    tr.appendChild(th);
    chart.series.forEach(function (s) { tr.appendChild(el('td', cell(s.values[i]))); });
    body.appendChild(tr);
  });
  table.appendChild(body);
  wrap.appendChild(table);
  return wrap;
}

/* A village's score on each indicator, picked from a list or by clicking its bar: what its scorecard says, with each
   indicator's weight, and "n/a" where the indicator has nothing to count. */
function villageDetail(chart, id) {
  var wrap = el('div', null, 'village-detail');
  var label = el('label', T.villageDetail);
  label.htmlFor = id + '-village';
  var select = el('select');
  select.id = id + '-village';
  select.appendChild(el('option', T.pickVillage));
  select.options[0].value = '';
  chart.labels.forEach(function (village, i) {
    var option = el('option', village);
    option.value = String(i);
    select.appendChild(option);
  });
  var list = el('dl');
  list.id = id + '-detail';
  list.setAttribute('aria-live', 'polite');
  function show(i) {
    select.value = String(i);
    while (list.firstChild) list.removeChild(list.firstChild);
    if (i === '' || i === null || i === undefined) return;
    chart.series.forEach(function (s) {
      var v = s.values[i];
      list.appendChild(el('dt', seriesName(s)));
      var weight = s.key === 'total' ? 100 : T.indicators[s.key] && T.indicators[s.key].weight;
      list.appendChild(el('dd', v === null ? T.notApplicable : T.scoreOf.replace('{score}', String(v)).replace('{weight}', String(weight))));
    });
  }
  select.addEventListener('change', function () { show(select.value === '' ? '' : Number(select.value)); });
  wrap.appendChild(label);
  wrap.appendChild(select);
  wrap.appendChild(list);
  return { node: wrap, show: show };
}

function draw(chart) {
  var kind = KINDS[chart.key] || { type: 'bar', labelColumn: 'label' };
  var id = 'chart-' + chart.key;
  var figure = el('figure', null, 'chart');
  figure.id = id;
  var title = el('h3', titleOf(chart));
  title.id = id + '-title';
  var caption = el('figcaption');
  caption.appendChild(title);
  figure.appendChild(caption);
  var box = el('div', null, 'chart-box' + (kind.horizontal ? ' tall' : ''));
  var canvas = el('canvas');
  canvas.id = id + '-canvas';
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-labelledby', title.id);
  canvas.setAttribute('aria-describedby', id + '-table');
  // a bar per village: the box grows with the villages so each bar keeps its height
  if (kind.labelColumn === 'village') box.style.height = Math.max(8, 2 * chart.labels.length + 4) + 'rem';
  box.appendChild(canvas);
  figure.appendChild(box);
  var toggle = el('button', T.showTable, 'secondary toggle');
  toggle.type = 'button';
  toggle.setAttribute('aria-expanded', 'false');
  toggle.setAttribute('aria-controls', id + '-table');
  var table = dataTable(chart, kind, id + '-table');
  toggle.addEventListener('click', function () {
    var open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? T.hideTable : T.showTable;
    table.classList.toggle('visually-hidden', !open);
  });
  figure.appendChild(toggle);
  figure.appendChild(table);
  var detail = kind.drill ? villageDetail(chart, id) : null;
  if (detail) figure.appendChild(detail.node);
  byId('chart-list').appendChild(figure);

  var shown = chart.series.filter(function (s) { return !kind.only || kind.only.indexOf(s.key) >= 0; });
  charts[chart.key] = new window.Chart(canvas, {
    type: kind.type,
    data: {
      labels: chart.labels.map(function (l) { return labelText(kind, l); }),
      datasets: shown.map(function (s) {
        var colour = COLOURS[s.key] || '#0b4f9c';
        return {
          label: seriesName(s), data: s.values, backgroundColor: colour, borderColor: colour, borderWidth: kind.type === 'line' ? 2 : 0,
          stack: kind.stacked && s.market ? String(s.market.id) : undefined, spanGaps: false, tension: 0,
        };
      }),
    },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false, indexAxis: kind.horizontal ? 'y' : 'x',
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 14 } } },
      onClick: detail ? function (_event, bars) { if (bars.length) detail.show(bars[0].index); } : undefined,
      scales: {
        x: kind.outOf ? { min: 0, max: kind.outOf } : { stacked: !!kind.stacked, ticks: { precision: 0 } },
        y: kind.percent ? { min: 0, max: 100 } : { stacked: !!kind.stacked, beginAtZero: true, ticks: { precision: 0 } },
      },
    },
  });
}

function answer(res) {
  return res.json().then(function (body) {
    if (!res.ok) throw new Error((body && body.error && body.error.message) || 'HTTP ' + res.status);
    return body;
  }, function () { throw new Error('HTTP ' + res.status); });
}

function load() {
  started = true;
  Promise.all([
    // Chart.js's UMD build sets window.Chart when imported
    import('/static/chart.umd.min.js'),
    fetch('/regulator/charts', { headers: bearer(token) }).then(answer),
  ]).then(function (parts) {
    var data = parts[1];
    data.charts.forEach(draw);
    byId('charts-status').textContent = '';
    byId('charts').dataset.ready = 'true';
  }).catch(function (e) {
    byId('charts-status').textContent = '';
    byId('charts-error').textContent = T.error + ': ' + ((e && e.message) || String(e));
  });
}

/** Called by the desk once signed in with `signedInToken`: charts when their card is near the screen, the graph on demand. */
export function attach(signedInToken) {
  token = signedInToken;
  if (!started) {
    var watch = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { watch.disconnect(); load(); }
    }, { rootMargin: '300px' });
    watch.observe(byId('charts'));
  }
  import('/static/forward-graph.js').then(function (graph) { graph.attach(signedInToken, T); });
}
