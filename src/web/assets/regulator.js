/* Regulator's desk. Every figure comes from POST /graphql under the signed-in token; the server decides what the
   account may see. Data reaches the page only through textContent, never as markup.
   The request and sign-in plumbing comes from /static/client.js, shared with the gate scanner. */
import('/static/client.js').then(function (client) {
  'use strict';

  var T = JSON.parse(document.getElementById('regulator-text').textContent);
  var TOKEN_KEY = 'foodtrace.regulator.token';
  var PAGE_SIZE = 20;
  var DESK_ROLES = ['REGULATOR', 'ADMIN'];

  var $ = client.byId;
  var el = client.el;
  var clear = client.clear;
  var DeskError = client.RequestError;
  var state = { token: null, filter: {}, after: null, page: 0 };
  var ruleText = {};
  T.rules.forEach(function (r) { ruleText[r.code] = r.text; });

  /* ---------- helpers ---------- */

  function row(cells) {
    var tr = document.createElement('tr');
    cells.forEach(function (c) { tr.appendChild(c instanceof Node ? wrapCell(c) : el('td', c)); });
    return tr;
  }
  /* each cell carries its column's heading, which a phone shows beside it when the table is stacked */
  function addRow(body, cells) {
    var tr = row(cells);
    var heads = body.parentNode.tHead ? body.parentNode.tHead.rows[0].cells : [];
    for (var i = 0; i < tr.cells.length && i < heads.length; i++) tr.cells[i].setAttribute('data-label', heads[i].textContent);
    body.appendChild(tr);
    return tr;
  }
  function wrapCell(node) { var td = document.createElement('td'); td.appendChild(node); return td; }
  function grade(g) { return el('span', g, 'grade grade-' + g); }
  function facts(dl, pairs) {
    clear(dl);
    pairs.forEach(function (p) {
      dl.appendChild(el('dt', p[0]));
      var dd = el('dd');
      if (p[1] instanceof Node) dd.appendChild(p[1]); else dd.textContent = String(p[1]);
      dl.appendChild(dd);
    });
  }
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, k) { return String(values[k]); });
  }

  var dateFormat = new Intl.DateTimeFormat(T.lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: T.timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
  });
  function when(iso) { return iso ? dateFormat.format(new Date(iso)) : ''; }
  function qty(n, unit) { return (Math.round(n * 1000) / 1000) + ' ' + (T.units[unit] || unit); }
  function points(p) { return p > 0 ? '+' + p : String(p); }

  /* a town day as the instant its midnight begins, at the county's offset from UTC that the page was sent with */
  function townMidnight(day, plusDays) {
    var d = new Date(day + 'T00:00:00Z');
    d.setUTCDate(d.getUTCDate() + (plusDays || 0));
    return d.toISOString().slice(0, 10) + 'T00:00:00' + T.utcOffset;
  }
  var monthFormat = new Intl.DateTimeFormat('en', { timeZone: T.timeZone, year: 'numeric', month: '2-digit' });
  /* this month in the county's time zone, YYYY-MM */
  function townMonth() {
    var parts = {};
    monthFormat.formatToParts(new Date()).forEach(function (p) { parts[p.type] = p.value; });
    return parts.year + '-' + parts.month;
  }

  /* Resolves with `data`; rejects with a DeskError carrying the server's first message. */
  function gql(query, variables) { return client.graphqlData(state.token, query, variables); }

  function failInto(id) {
    return function (e) {
      if (e && e.code === 'UNAUTHENTICATED') { forget(T.badToken); return; }
      $(id).textContent = T.error + ': ' + ((e && e.message) || String(e));
    };
  }

  /* ---------- sign-in ---------- */

  var card = client.signInCard({ tokenKey: TOKEN_KEY, appId: 'desk', submit: signIn });

  function showSignIn(message) { card.show(message); }

  /* Other parts of the desk (live alerts and incidents: /static/desk-incidents.js) start and stop with the sign-in. */
  function announce(name, detail) { document.dispatchEvent(new CustomEvent(name, { detail: detail })); }

  function forget(message) {
    announce('desk:signed-out', {});
    card.forget();
    state.token = null;
    $('assessment-links').classList.add('hidden');
    showSignIn(message);
  }

  function signIn(token) {
    state.token = token;
    $('signin-error').textContent = '';
    return gql('query { me { name role } }').then(function (data) {
      if (DESK_ROLES.indexOf(data.me.role) < 0) { forget(T.notRegulator); return; }
      card.remember(token);
      card.hide();
      $('who').textContent = T.signedInAs + ': ' + data.me.name;
      $('plan-month').value = townMonth();
      $('assessment-year').value = townMonth().slice(0, 4);
      loadOverview();
      search();
      loadPlan();
      announce('desk:signed-in', { token: token });
      // the charts and the forward-impact graph live in their own module, loaded once the desk is open
      import('/static/desk-charts.js').then(function (charts) { charts.attach(token); });
    }, function (e) {
      if (e.code === 'UNAUTHENTICATED') forget(T.badToken);
      else { state.token = null; showSignIn(e.message); }
    });
  }

  /* ---------- overview ---------- */

  function loadOverview() {
    $('overview-error').textContent = '';
    return gql('query { creditGradeCounts { grade operators active } }').then(function (data) {
      var body = $('grade-counts');
      clear(body);
      var all = 0, active = 0;
      data.creditGradeCounts.forEach(function (c) {
        var tr = row([grade(c.grade), String(c.operators), String(c.active)]);
        tr.setAttribute('data-grade', c.grade);
        body.appendChild(tr);
        all += c.operators; active += c.active;
      });
      var total = row([T.total, String(all), String(active)]);
      total.className = 'total';
      body.appendChild(total);
    }, failInto('overview-error'));
  }

  /* ---------- credit archive ---------- */

  function readFilter() {
    var f = {};
    if ($('f-grade').value) f.grade = $('f-grade').value;
    var village = $('f-village').value.trim();
    if (village) f.village = village;
    if ($('f-rule').value) f.rule = $('f-rule').value;
    if ($('f-from').value) f.from = townMidnight($('f-from').value, 0);
    // the archive's `to` is exclusive; the picked day is included
    if ($('f-to').value) f.to = townMidnight($('f-to').value, 1);
    return f;
  }

  var ARCHIVE_QUERY =
    'query Archive($filter: CreditArchiveFilter, $first: Int, $after: String) { creditArchive(filter: $filter, first: $first, after: $after) { ' +
    'edges { node { id occurredAt ruleCode points reason reversed operatorId operator { name village } } } pageInfo { endCursor hasNextPage } } }';

  function search() {
    state.filter = readFilter();
    state.after = null;
    state.page = 0;
    return loadArchive();
  }

  function loadArchive() {
    $('archive-error').textContent = '';
    $('archive-next').disabled = true;
    return gql(ARCHIVE_QUERY, { filter: state.filter, first: PAGE_SIZE, after: state.after }).then(function (data) {
      var conn = data.creditArchive;
      var body = $('archive-rows');
      clear(body);
      conn.edges.forEach(function (e) {
        var n = e.node;
        var who = n.operator.name + ' (#' + n.operatorId + (n.operator.village ? ', ' + n.operator.village : '') + ')';
        var tr = addRow(body, [when(n.occurredAt), who, ruleText[n.ruleCode] || n.ruleCode, points(n.points), n.reason + (n.reversed ? ' [' + T.reversed + ']' : '')]);
        tr.setAttribute('data-event', n.id);
      });
      state.page += 1;
      $('archive-info').textContent = conn.edges.length ? fill(T.pageInfo, { p: state.page, n: conn.edges.length }) : T.noRows;
      state.after = conn.pageInfo.endCursor;
      $('archive-next').disabled = !conn.pageInfo.hasNextPage;
    }, failInto('archive-error'));
  }

  /* The export wants the bearer token in a header, so the file is fetched here and handed over as a blob. */
  function downloadCsv() {
    $('archive-error').textContent = '';
    $('csv-status').textContent = T.loading;
    var params = new URLSearchParams();
    Object.keys(state.filter).forEach(function (k) { params.set(k, state.filter[k]); });
    var query = params.toString();
    return fetch('/exports/credit.csv' + (query ? '?' + query : ''), { headers: client.bearer(state.token) }).then(function (res) {
      if (!res.ok) {
        return res.json().then(function (body) { throw new DeskError(body.error ? body.error.message : 'HTTP ' + res.status); }, function () { throw new DeskError('HTTP ' + res.status); });
      }
      return res.blob().then(function (blob) {
        var url = URL.createObjectURL(blob);
        var a = document.createElement('a');
        a.href = url;
        a.download = 'credit-archive.csv';
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
        $('csv-status').textContent = T.csvReady + ' (' + blob.size + ' B)';
      });
    }).catch(function (e) { $('csv-status').textContent = ''; failInto('archive-error')(e); });
  }

  /* ---------- self-assessment ---------- */

  /* A browser tab cannot send the bearer token, so the desk asks for a short-lived link under it and opens that. */
  function openAssessment() {
    $('assessment-error').textContent = '';
    var year = $('assessment-year').value.trim() || townMonth().slice(0, 4);
    return fetch('/assessment/' + encodeURIComponent(year) + '.link?lang=' + T.lang, { headers: client.bearer(state.token) }).then(function (res) {
      return res.json().then(function (body) {
        if (!res.ok) throw new DeskError(body.error ? body.error.message : 'HTTP ' + res.status);
        return body;
      }, function () { throw new DeskError('HTTP ' + res.status); });
    }).then(function (link) {
      $('assessment-page').href = link.url;
      $('assessment-pdf').href = link.pdfUrl;
      $('assessment-until').textContent = fill(T.assessmentLinks, { time: when(link.expiresAt) });
      $('assessment-links').classList.remove('hidden');
      window.open(link.url, '_blank', 'noopener');
    }).catch(failInto('assessment-error'));
  }

  /* ---------- inspection plan ---------- */

  function loadPlan() {
    $('plan-error').textContent = '';
    var month = $('plan-month').value || townMonth();
    return gql('query Plan($month: String!) { inspectionPlan(month: $month) { operatorId grade score lastInspectedAt inspectionsPerYear operator { name village } } }', { month: month }).then(function (data) {
      var body = $('plan-rows');
      clear(body);
      data.inspectionPlan.forEach(function (p) {
        var tr = addRow(body, [p.operator.name + ' (#' + p.operatorId + ')', grade(p.grade), String(p.score), p.lastInspectedAt ? when(p.lastInspectedAt) : T.never, String(p.inspectionsPerYear)]);
        tr.setAttribute('data-operator', p.operatorId);
      });
      $('plan-info').textContent = data.inspectionPlan.length ? '' : T.planEmpty;
    }, failInto('plan-error'));
  }

  /* ---------- operator lookup ---------- */

  var OPERATOR_QUERY =
    'query Lookup($id: ID!) { operator(id: $id) { id name kind village status credit { score grade forcedUntil ' +
    'events(first: 20) { edges { node { id seq occurredAt ruleCode points reason reversed } } } } } ' +
    'verifyCreditChain(operatorId: $id) { ok eventsChecked firstBroken { seq problem expected found } } }';

  function lookup() {
    $('lookup-error').textContent = '';
    $('lookup-result').classList.add('hidden');
    var id = $('lookup-id').value.trim();
    if (!id) { $('lookup-error').textContent = T.needOperator; return; }
    return gql(OPERATOR_QUERY, { id: id }).then(function (data) {
      var o = data.operator, c = o.credit, v = data.verifyCreditChain;
      var pairs = [[T.name, o.name], [T.kind, T.kinds[o.kind] || o.kind], [T.village, o.village || ''], [T.status, T.statuses[o.status] || o.status], [T.score, String(c.score)], [T.grade, grade(c.grade)]];
      if (c.forcedUntil) pairs.push([T.forcedUntil, when(c.forcedUntil)]);
      facts($('lookup-facts'), pairs);
      var chain = $('chain');
      chain.className = 'chain ' + (v.ok ? 'pass' : 'fail');
      chain.textContent = T.chain + ': ' + (v.ok ? fill(T.chainOk, { n: v.eventsChecked })
        : T.chainBroken + (v.firstBroken ? ' — ' + T.chainFirst + ': #' + v.firstBroken.seq + ' ' + v.firstBroken.problem : ''));
      var body = $('lookup-events');
      clear(body);
      c.events.edges.forEach(function (e) {
        var n = e.node;
        var tr = addRow(body, [when(n.occurredAt), ruleText[n.ruleCode] || n.ruleCode, points(n.points), n.reason + (n.reversed ? ' [' + T.reversed + ']' : '')]);
        tr.setAttribute('data-event', n.id);
      });
      $('lookup-result').classList.remove('hidden');
    }, failInto('lookup-error'));
  }

  /* ---------- trace and recall ---------- */

  function list(items, text) {
    if (!items.length) return el('span', '—');
    var ul = el('ul', null, 'plain');
    items.forEach(function (i) { ul.appendChild(el('li', text(i))); });
    return ul;
  }
  function quantityList(qs) {
    return list(qs, function (q) { return qty(q.onHand, q.unit) + ' · ' + q.batches + ' ' + T.batches; });
  }

  function batchId() {
    var id = $('trace-batch').value.trim();
    if (!id) throw new DeskError(T.needBatch);
    return id;
  }

  function showTrace(title, pairs) {
    $('trace-title').textContent = title;
    facts($('trace-summary'), pairs);
    $('trace-result').classList.remove('hidden');
  }

  function traceForward() {
    $('trace-error').textContent = '';
    $('trace-result').classList.add('hidden');
    var id;
    try { id = batchId(); } catch (e) { $('trace-error').textContent = e.message; return; }
    return gql('query F($id: ID!) { traceForward(batchId: $id) { totalBatches truncated nodes { id } entryCount ' +
      'affectedOperators { id name batches } markets { id name entries accepted } quantities { unit onHand batches } } }', { id: id }).then(function (data) {
      var f = data.traceForward;
      showTrace(T.forward + ' #' + id, [
        [T.nodes, String(f.nodes.length) + (f.totalBatches !== f.nodes.length ? ' / ' + f.totalBatches : '')],
        [T.truncated, f.truncated ? T.yes : T.no],
        [T.operators, list(f.affectedOperators, function (o) { return o.name + ' (#' + o.id + ') · ' + o.batches + ' ' + T.batches; })],
        [T.markets, list(f.markets, function (m) { return m.name + ' · ' + m.entries + ' ' + T.entries; })],
        [T.quantities, quantityList(f.quantities)],
      ]);
    }, failInto('trace-error'));
  }

  function traceBackward() {
    $('trace-error').textContent = '';
    $('trace-result').classList.add('hidden');
    var id;
    try { id = batchId(); } catch (e) { $('trace-error').textContent = e.message; return; }
    return gql('query B($id: ID!) { traceBackward(batchId: $id) { truncated nodes { id depth lotCode productName remaining unit owner { id name } } } }', { id: id }).then(function (data) {
      var b = data.traceBackward;
      var owners = {}, ownerList = [], units = {}, unitList = [];
      b.nodes.forEach(function (n) {
        if (!owners[n.owner.id]) { owners[n.owner.id] = { id: n.owner.id, name: n.owner.name, batches: 0 }; ownerList.push(owners[n.owner.id]); }
        owners[n.owner.id].batches += 1;
        if (!units[n.unit]) { units[n.unit] = { unit: n.unit, onHand: 0, batches: 0 }; unitList.push(units[n.unit]); }
        units[n.unit].onHand += n.remaining; units[n.unit].batches += 1;
      });
      showTrace(T.backward + ' #' + id, [
        [T.nodes, String(b.nodes.length)],
        [T.truncated, b.truncated ? T.yes : T.no],
        [T.operators, list(ownerList, function (o) { return o.name + ' (#' + o.id + ') · ' + o.batches + ' ' + T.batches; })],
        [T.quantities, quantityList(unitList)],
      ]);
    }, failInto('trace-error'));
  }

  function askRecall(event) {
    event.preventDefault();
    $('recall-error').textContent = '';
    $('recall-result').classList.add('hidden');
    var id;
    try { id = batchId(); } catch (e) { $('recall-error').textContent = e.message; return; }
    if (!$('recall-reason').value.trim()) { $('recall-error').textContent = T.needReason; return; }
    $('recall-ask').textContent = T.recallAsk + ' (#' + id + ')';
    $('recall-confirm').classList.remove('hidden');
    $('recall-button').disabled = true;
  }

  function closeConfirm() {
    $('recall-confirm').classList.add('hidden');
    $('recall-button').disabled = false;
  }

  function recall() {
    var id;
    try { id = batchId(); } catch (e) { closeConfirm(); $('recall-error').textContent = e.message; return; }
    var reason = $('recall-reason').value.trim();
    $('recall-yes').disabled = true;
    return gql('mutation R($input: InitiateRecallInput!) { initiateRecall(input: $input) { recallId created batchCode batches newlyRecalled entries reason recalledAt ' +
      'operators { id name batches } markets { id name entries } quantities { unit onHand batches } } }', { input: { batchId: id, reason: reason } }).then(function (data) {
      var r = data.initiateRecall;
      $('recall-title').textContent = r.created ? T.recallDone + ' · ' + when(r.recalledAt) : T.recallBefore;
      facts($('recall-summary'), [
        [T.reason, r.reason],
        [T.nodes, String(r.batches)],
        [T.newlyRecalled, String(r.newlyRecalled)],
        [T.entries, String(r.entries)],
        [T.operators, list(r.operators, function (o) { return o.name + ' (#' + o.id + ') · ' + o.batches + ' ' + T.batches; })],
        [T.markets, list(r.markets, function (m) { return m.name + ' · ' + m.entries + ' ' + T.entries; })],
        [T.quantities, quantityList(r.quantities)],
      ]);
      $('recall-result').classList.remove('hidden');
    }, failInto('recall-error')).then(function () {
      $('recall-yes').disabled = false;
      closeConfirm();
    });
  }

  /* ---------- wiring ---------- */

  $('signout').addEventListener('click', function (e) { e.preventDefault(); forget(''); });
  $('archive-form').addEventListener('submit', function (e) { e.preventDefault(); search(); });
  $('archive-next').addEventListener('click', loadArchive);
  $('archive-csv').addEventListener('click', downloadCsv);
  $('plan-form').addEventListener('submit', function (e) { e.preventDefault(); loadPlan(); });
  $('assessment-form').addEventListener('submit', function (e) { e.preventDefault(); openAssessment(); });
  $('lookup-form').addEventListener('submit', function (e) { e.preventDefault(); lookup(); });
  $('trace-forward').addEventListener('click', traceForward);
  $('trace-backward').addEventListener('click', traceBackward);
  $('trace-form').addEventListener('submit', function (e) { e.preventDefault(); traceForward(); });
  $('recall-form').addEventListener('submit', askRecall);
  $('recall-cancel').addEventListener('click', closeConfirm);
  $('recall-yes').addEventListener('click', recall);

  card.start();
});
