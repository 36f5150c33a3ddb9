/* A recall's notice to the account it reached. Everything comes from POST /graphql under the signed-in token: the
   server decides which holdings the account sees and which it may answer for. Data reaches the page only through
   textContent, never as markup. */
import('/static/client.js').then(function (client) {
  'use strict';

  var T = JSON.parse(document.getElementById('recall-notice-text').textContent);
  var $ = client.byId;
  var el = client.el;
  var clear = client.clear;
  var state = { token: null, me: null };

  var FIELDS = 'id productName lotCode batchCode reason recalledAt closedAt summary effectiveness answered ' +
    'units { unit held accounted effectiveness } ' +
    'holdings { operatorId operatorName operatorKind unit batches held returned destroyed sold accounted note recordedAt }';
  var RECALL = 'query Notice($id: ID!) { recall(id: $id) { ' + FIELDS + ' } }';
  var RECORD = 'mutation Dispose($input: RecordRecallDispositionInput!) { recordRecallDisposition(input: $input) { ' + FIELDS + ' } }';

  var dateFormat = new Intl.DateTimeFormat(T.lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: T.timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
  });
  function when(iso) { return iso ? dateFormat.format(new Date(iso)) : ''; }
  function qty(n, unit) { return (Math.round(n * 1000) / 1000) + ' ' + (T.units[unit] || unit); }
  function percent(rate) { return rate === null || rate === undefined ? '—' : (Math.round(rate * 1000) / 10) + ' %'; }

  function facts(dl, pairs) {
    clear(dl);
    pairs.forEach(function (p) { dl.appendChild(el('dt', p[0])); dl.appendChild(el('dd', p[1])); });
  }

  function gql(query, variables) { return client.graphqlData(state.token, query, variables); }
  function fail(e) {
    if (e && e.code === 'UNAUTHENTICATED') { forget(''); return; }
    $('notice-error').textContent = T.error + ': ' + ((e && e.message) || String(e));
  }

  /* an operator answers for its own holdings; the office for any; gate staff read their vendors' */
  function mayAnswer(h) {
    return state.me.role === 'REGULATOR' || state.me.role === 'ADMIN' || String(state.me.operatorId) === String(h.operatorId);
  }

  function render(r) {
    $('recall-title').textContent = T.recall + ': ' + r.productName + ' ' + r.lotCode;
    var pairs = [[T.product, r.productName], [T.lot, r.lotCode], [T.reason, r.reason], [T.recalledAt, when(r.recalledAt)], [T.state, r.closedAt ? T.closed + ' · ' + when(r.closedAt) : T.open]];
    if (r.summary) pairs.push([T.summary, r.summary]);
    facts($('recall-facts'), pairs);
    $('effectiveness').textContent = percent(r.effectiveness) + (r.units.length ? ' — ' + r.units.map(function (u) { return qty(u.accounted, u.unit) + ' / ' + qty(u.held, u.unit); }).join(', ') : '');

    $('holdings-title').textContent = state.me.role === 'GATE_STAFF' ? T.marketHoldings : T.yourHoldings;
    $('holdings-none').textContent = r.holdings.length ? '' : T.none;
    var list = $('holding-list');
    clear(list);
    r.holdings.forEach(function (h, i) { list.appendChild(holding(r, h, i)); });
  }

  function holding(r, h, i) {
    var box = el('article', null, 'holding');
    box.setAttribute('data-holding', h.operatorId + ':' + h.unit);
    box.appendChild(el('h3', h.operatorName + ' (' + (T.kinds[h.operatorKind] || h.operatorKind) + ') · ' + (T.units[h.unit] || h.unit)));
    var dl = el('dl');
    facts(dl, [[T.batches, h.batches], [T.held, qty(h.held, h.unit)], [T.returned, qty(h.returned, h.unit)], [T.destroyed, qty(h.destroyed, h.unit)],
      [T.sold, qty(h.sold, h.unit)], [T.accounted, qty(h.accounted, h.unit)], [T.lastRecorded, h.recordedAt ? when(h.recordedAt) : T.notAnswered]]);
    box.appendChild(dl);
    if (r.closedAt || !mayAnswer(h)) return box;

    var form = el('form', null, 'disposition');
    form.setAttribute('autocomplete', 'off');
    form.setAttribute('novalidate', '');
    var inputs = {};
    ['returned', 'destroyed', 'sold'].forEach(function (field) {
      var id = 'h' + i + '-' + field;
      var wrap = el('div');
      var label = el('label', T[field] + ' (' + (T.units[h.unit] || h.unit) + ')');
      label.htmlFor = id;
      var input = el('input');
      input.id = id; input.name = field; input.type = 'number'; input.min = '0'; input.step = 'any'; input.inputMode = 'decimal';
      input.value = h[field] ? String(h[field]) : '';
      inputs[field] = input;
      wrap.appendChild(label); wrap.appendChild(input);
      form.appendChild(wrap);
    });
    var noteId = 'h' + i + '-note';
    var noteLabel = el('label', T.note);
    noteLabel.htmlFor = noteId;
    var note = el('textarea');
    note.id = noteId; note.name = 'note'; note.maxLength = 2000; note.rows = 2;
    note.value = h.note || '';
    form.appendChild(noteLabel); form.appendChild(note);
    var button = el('button', T.record);
    button.type = 'submit';
    form.appendChild(button);
    var message = el('p', '', 'sub');
    message.setAttribute('role', 'status');
    form.appendChild(message);

    form.addEventListener('submit', function (e) {
      e.preventDefault();
      $('notice-error').textContent = '';
      var input = { recallId: String(r.id), operatorId: String(h.operatorId), unit: h.unit, note: note.value.trim() || null };
      var any = false;
      ['returned', 'destroyed', 'sold'].forEach(function (f) {
        var v = inputs[f].value.trim();
        input[f] = v === '' ? null : Number(v);
        if (v !== '' && Number(v) > 0) any = true;
      });
      if (!any) { message.textContent = T.needAmount; return; }
      button.disabled = true;
      gql(RECORD, { input: input }).then(function (data) {
        render(data.recordRecallDisposition);
        var again = document.querySelector('[data-holding="' + h.operatorId + ':' + h.unit + '"] [role="status"]');
        if (again) again.textContent = T.recorded;
      }, function (err) { button.disabled = false; message.textContent = T.error + ': ' + ((err && err.message) || String(err)); });
    });
    box.appendChild(form);
    return box;
  }

  var card = client.signInCard({ tokenKey: 'foodtrace.notice.token', appId: 'notice', submit: signIn });

  function forget(message) {
    card.forget();
    state.token = null;
    card.show(message);
  }

  function signIn(token) {
    state.token = token;
    $('signin-error').textContent = '';
    return gql('query { me { name role operatorId } }').then(function (data) {
      state.me = data.me;
      card.remember(token);
      card.hide();
      $('who').textContent = data.me.name;
      return gql(RECALL, { id: String(T.recallId) }).then(function (d) { render(d.recall); }, fail);
    }, function (e) {
      state.token = null;
      card.show(e.message);
    });
  }

  $('signout').addEventListener('click', function (e) { e.preventDefault(); forget(''); });
  card.start();
});
