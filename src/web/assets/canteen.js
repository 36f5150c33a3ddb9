/* Canteen receiving check. Every answer comes from POST /graphql under the signed-in canteen account; data reaches
   the page only through textContent, never as markup. */
import('/static/client.js').then(function (client) {
  'use strict';
  var T = JSON.parse(document.getElementById('canteen-text').textContent);
  var TOKEN_KEY = 'foodtrace.canteen.token';
  var $ = client.byId;
  var el = client.el;
  var clear = client.clear;
  var state = { token: null, canteenId: null };

  var dateFormat = new Intl.DateTimeFormat(T.lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: T.timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
  });

  var card = client.signInCard({ tokenKey: TOKEN_KEY, appId: 'canteen-app', submit: signIn });

  function signIn(token) {
    client.graphqlData(token, '{ me { name role operatorId } }').then(function (data) {
      if (data.me.role !== 'OPERATOR' || !data.me.operatorId) { card.forget(); card.show(T.notCanteen); return; }
      state.token = token; state.canteenId = data.me.operatorId;
      card.remember(token); card.hide();
      $('who').textContent = T.signedInAs + ': ' + data.me.name;
      loadSamples();
    }, function () { card.forget(); card.show(T.badToken); });
  }

  $('signout').addEventListener('click', function () { card.forget(); state.token = null; card.show(''); });

  $('receive-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var out = $('receive-result');
    clear(out);
    var code = $('code').value.trim();
    var quantity = Number($('quantity').value);
    if (!code) { out.appendChild(el('p', T.needCode, 'fail')); return; }
    if (!(quantity > 0)) { out.appendChild(el('p', T.needQuantity, 'fail')); return; }
    client.graphqlData(state.token,
      'mutation($input: ReceiveDeliveryInput!) { receiveDelivery(input: $input) { light productName lotCode producerName reasons { code zh en } } }',
      { input: { canteenId: state.canteenId, code: code, quantity: quantity, unit: $('unit').value } }).then(function (data) {
      var r = data.receiveDelivery;
      var box = el('div', null, 'light light-' + r.light);
      box.id = 'receive-light';
      box.appendChild(el('strong', T[r.light]));
      if (r.productName) box.appendChild(el('p', r.productName + ' · ' + r.lotCode + ' · ' + r.producerName));
      var ul = el('ul');
      r.reasons.forEach(function (x) { var li = el('li', T.lang === 'zh' ? x.zh : x.en); li.setAttribute('data-code', x.code); ul.appendChild(li); });
      box.appendChild(ul);
      out.appendChild(box);
      $('code').value = '';
    }, function (err) { out.appendChild(el('p', err.message, 'fail')); });
  });

  function loadSamples() {
    client.graphqlData(state.token, 'query($id: ID!) { canteenSamples(canteenId: $id) { dish meal grams keptBy discardAfter } }', { id: state.canteenId })
      .then(function (data) {
        var ul = $('samples');
        clear(ul);
        data.canteenSamples.forEach(function (s) {
          ul.appendChild(el('li', s.dish + ' · ' + T.meals[s.meal] + ' · ' + s.grams + ' g · ' + s.keptBy + ' · ' + T.discardAfter + ' ' + dateFormat.format(new Date(s.discardAfter))));
        });
      });
  }

  $('sample-form').addEventListener('submit', function (e) {
    e.preventDefault();
    client.graphqlData(state.token, 'mutation($input: CanteenSampleInput!) { recordCanteenSample(input: $input) { id } }', {
      input: { canteenId: state.canteenId, dish: $('dish').value, meal: $('meal').value, grams: Number($('grams').value), keptBy: $('keptBy').value },
    }).then(function () { $('dish').value = ''; loadSamples(); }, function (err) { $('samples').insertBefore(el('li', err.message, 'fail'), $('samples').firstChild); });
  });

  $('download').addEventListener('click', function () {
    var month = $('month').value;
    if (!month) return;
    client.graphqlData(state.token, 'query($id: ID!, $m: String!) { canteenReceiptsCsv(canteenId: $id, month: $m) }', { id: state.canteenId, m: month })
      .then(function (data) {
        var a = document.createElement('a');
        a.href = URL.createObjectURL(new Blob(['\ufeff' + data.canteenReceiptsCsv], { type: 'text/csv;charset=utf-8' }));
        a.download = 'receiving-' + month + '.csv';
        document.body.appendChild(a); a.click(); a.remove();
      });
  });

  card.start();
});
