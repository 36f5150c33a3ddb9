/* Gate scanner. Every scan is stored on the device with its scanId before it is sent, and removed only
   once the server has answered, so a scan made offline is sent exactly once when the network returns
   (the server answers a repeated scanId with its first answer and writes nothing).
   A rapid-test result is stored the same way with its testId, which the server holds to the same promise:
   a result whose answer was lost is simply sent again and recorded once.
   Each stored scan and result carries the account that made it and is sent only under that account's token: after
   a sign-out and another clerk's sign-in it stays on the device, shown as waiting for its clerk. A token the server
   no longer accepts (UNAUTHENTICATED: expired or revoked) asks for a sign-in and keeps everything stored.
   navigator.onLine is only a hint: the timed flush asks the server, and a request that gets no answer says offline.
   The request, sign-in and device-store plumbing comes from /static/client.js, shared with the regulator's desk. */
import('/static/client.js').then(function (client) {
  'use strict';

  var T = JSON.parse(document.getElementById('gate-text').textContent);
  var TOKEN_KEY = 'foodtrace.gate.token';
  var ME_KEY = 'foodtrace.gate.me';
  var VENDORS_KEY = 'foodtrace.gate.vendors';
  var QUEUE_KEY = 'foodtrace.gate.queue';
  var FORM_KEY = 'foodtrace.gate.form';
  var TESTS_KEY = 'foodtrace.gate.tests';
  var TESTER_KEY = 'foodtrace.gate.tester';
  var SCAN_MUTATION =
    'mutation Scan($input: GateScanInput!) { scanAtGate(input: $input) { entryId decision reasons { code zh en } ' +
    'batch { productName lotCode } producer { name grade } certificate { number } } }';

  var TEST_MUTATION = 'mutation Test($input: RecordTestInput!) { recordRapidTest(input: $input) { entry { id decision reasons { code zh en } } } }';

  // kept for a later try under the same token; UNAUTHENTICATED is not among them: it ends the session instead
  var RETRY_CODES = ['UNAVAILABLE', 'INTERNAL_SERVER_ERROR', 'RATE_LIMITED'];

  var $ = client.byId;
  var load = client.load, save = client.save, errorCode = client.errorCode;
  // reachable: whether the last request got an answer (null before the first); navigator.onLine stands in until then
  var state = { token: null, me: null, flushing: false, reachable: null, stream: null, detector: null, canvas: null, testFor: null, resultTouched: false };
  var scans = client.storedQueue(QUEUE_KEY, 'scanId');
  var results = client.storedQueue(TESTS_KEY, 'testId');
  var card = client.signInCard({ tokenKey: TOKEN_KEY, appId: 'scanner', submit: signIn });

  /* Resolves with the GraphQL body; rejects when no answer came back. Either way the network status follows. */
  function gql(query, variables) {
    return client.graphqlAnswer(state.token, query, variables).then(function (body) {
      state.reachable = true; renderStatus(); return body;
    }, function (e) {
      state.reachable = false; renderStatus(); throw e;
    });
  }

  /* Items stored before they carried an account belong to whoever is signed in. */
  function mine(item) { return !item.accountId || (state.me && String(item.accountId) === String(state.me.id)); }

  /* The signed-in session ended on the server (an expired or revoked token): sign in again; nothing stored is lost. */
  function sessionEnded() {
    if (!state.token) return;
    card.forget();
    state.token = null;
    state.me = null;
    localStorage.removeItem(ME_KEY);
    stopCamera();
    closeTest();
    document.dispatchEvent(new CustomEvent('gate:signed-out'));
    showSignIn(T.signInAgain);
  }

  /* ---------- sign-in ---------- */

  function showSignIn(message) { card.show(message); }

  function showScanner() {
    card.hide();
    $('who').textContent = T.signedInAs + ': ' + state.me.name;
    renderVendors(load(VENDORS_KEY, []));
    restoreForm();
    renderStatus();
  }

  function signIn(token) {
    state.token = token;
    return gql('query { me { id name role marketId } }').then(function (body) {
      if (!body.data || !body.data.me) {
        state.token = null;
        // a revoked token is forgotten; queued scans stay and go out when their own clerk signs in again
        if (errorCode(body) === 'UNAUTHENTICATED' && card.stored() === token) card.forget();
        showSignIn(errorCode(body) === 'UNAUTHENTICATED' ? T.badToken : (body.errors && body.errors[0].message) || T.badToken);
        return;
      }
      var me = body.data.me;
      if (me.role !== 'GATE_STAFF' || !me.marketId) { state.token = null; showSignIn(T.notGateStaff); return; }
      card.remember(token);
      state.me = me;
      save(ME_KEY, me);
      showScanner();
      refreshVendors();
      flush();
      // recall alerts (/static/gate-recalls.js) follow the sign-in
      document.dispatchEvent(new CustomEvent('gate:signed-in', { detail: { token: token } }));
    }, function () {
      /* offline with a token this device already signed in with: keep working from what is stored */
      var me = load(ME_KEY, null);
      if (me && card.stored() === token) { state.me = me; showScanner(); }
      else { state.token = null; showSignIn(T.offline); }
    });
  }

  function signOut() {
    var waiting = scans.all().filter(mine).length + results.all().filter(mine).length;
    if (waiting && !window.confirm(T.confirmSignOut.replace('{n}', String(waiting)))) return;
    stopCamera();
    card.forget();
    localStorage.removeItem(ME_KEY);
    localStorage.removeItem(VENDORS_KEY);
    closeTest();
    state.token = null; state.me = null;
    document.dispatchEvent(new CustomEvent('gate:signed-out'));
    showSignIn('');
  }

  /* ---------- vendors and form ---------- */

  function refreshVendors() {
    return gql('query($marketId: ID!) { marketVendors(marketId: $marketId) { id name } }', { marketId: state.me.marketId })
      .then(function (body) {
        if (body.data && body.data.marketVendors) { save(VENDORS_KEY, body.data.marketVendors); renderVendors(body.data.marketVendors); }
      }, function () { /* offline: the stored list stays */ });
  }

  function renderVendors(vendors) {
    var select = $('vendor');
    var chosen = select.value || (load(FORM_KEY, {}).vendor || '');
    while (select.options.length > 1) select.remove(1);
    vendors.forEach(function (v) {
      var o = document.createElement('option');
      o.value = String(v.id); o.textContent = v.name;
      select.appendChild(o);
    });
    select.value = chosen;
    if (select.value !== chosen) select.value = '';
  }

  function restoreForm() {
    var f = load(FORM_KEY, {});
    if (f.unit) $('unit').value = f.unit;
    if (f.vendor) $('vendor').value = f.vendor;
  }

  function rememberForm() { save(FORM_KEY, { vendor: $('vendor').value, unit: $('unit').value }); }

  /* ---------- scanning and sending ---------- */

  /* What the recent list shows of a load: vendor and declared quantity, keyed by its entry. */
  function lineOf(item, entryId) {
    return { entryId: entryId || null, vendorName: item.vendorName, quantity: item.input.declaredQuantity, unitLabel: item.unitLabel || item.input.unit };
  }

  function check(code) {
    $('form-error').textContent = '';
    var vendor = $('vendor').value;
    var quantity = Number($('quantity').value);
    code = (code || '').trim();
    if (!vendor) { $('form-error').textContent = T.needVendor; $('vendor').focus(); return false; }
    if (!(quantity > 0)) { $('form-error').textContent = T.needQuantity; $('quantity').focus(); return false; }
    if (!code) { $('form-error').textContent = T.needCode; $('code').focus(); return false; }
    rememberForm();
    closeTest();
    var scanId = client.uuid();
    var vendorName = $('vendor').selectedOptions[0] ? $('vendor').selectedOptions[0].textContent : '';
    var unitOption = $('unit').selectedOptions[0];
    var item = {
      scanId: scanId,
      accountId: String(state.me.id),
      accountName: state.me.name,
      vendorName: vendorName,
      unitLabel: unitOption ? unitOption.textContent : $('unit').value,
      input: { code: code, marketId: String(state.me.marketId), vendorOperatorId: vendor, declaredQuantity: quantity, unit: $('unit').value, scanId: scanId },
    };
    scans.add(item);
    $('code').value = '';
    $('quantity').value = '';
    send(item, true);
    return true;
  }

  /* Sends one stored scan. It leaves the queue only when the server answered; a lost network keeps it. */
  function send(item, foreground) {
    return scans.sendOnce(item.scanId, function () {
      if (!state.token || !mine(item)) return Promise.resolve(false);
      return gql(SCAN_MUTATION, { input: item.input }).then(function (body) { return scanAnswered(item, body, foreground); }, function () {
        if (foreground) showQueued();
        renderStatus();
        return false;
      });
    });
  }

  function scanAnswered(item, body, foreground) {
    var code = errorCode(body);
    if (code === 'UNAUTHENTICATED') { sessionEnded(); renderStatus(); return false; }
    // kept for a later try: the same scanId makes the retry safe
    if (RETRY_CODES.indexOf(code) >= 0) { if (foreground) showQueued(); renderStatus(); return false; }
    scans.remove(item.scanId);
    if (body.data && body.data.scanAtGate) {
      var answer = body.data.scanAtGate;
      var line = lineOf(item, answer.entryId);
      line.detail = describe(answer);
      addRecent(line, answer.decision, answer.reasons);
      if (foreground) {
        showAnswer(answer.decision, answer.reasons, line.detail);
        if (answer.decision === 'TEST_REQUIRED') openTest(line);
      }
    } else {
      var message = (body.errors && body.errors[0] && body.errors[0].message) || '';
      addRecent(lineOf(item), 'ERROR', [{ zh: message, en: message }]);
      if (foreground) showAnswer('ERROR', [{ zh: message, en: message }]);
    }
    renderStatus();
    return true;
  }

  /* Sends what the signed-in clerk stored, oldest first, one at a time: scans, then test results (each names an
     entry the server already holds); stops at the first item the network loses. Whatever navigator.onLine says,
     it asks the server: only a request that gets no answer means offline. Other clerks' items stay. */
  function flush() {
    if (state.flushing || !state.token) return Promise.resolve();
    state.flushing = true;
    var steps = scans.all().filter(mine).map(function (item) { return function () { return send(item, false); }; })
      .concat(results.all().filter(mine).map(function (item) { return function () { return sendTest(item, false); }; }));
    return client.inOrder(steps).then(function () { state.flushing = false; renderStatus(); }, function () { state.flushing = false; });
  }

  /* ---------- rapid test of a load that needs one ---------- */

  function openTest(line) {
    state.testFor = line;
    state.resultTouched = false;
    $('test-error').textContent = '';
    $('test-for').textContent = [line.detail, line.vendorName, line.quantity + ' ' + line.unitLabel].filter(Boolean).join(' · ');
    $('test-value').value = '';
    $('test-pass').checked = false;
    $('test-fail').checked = false;
    $('tester').value = localStorage.getItem(TESTER_KEY) || '';
    $('test-form').classList.remove('hidden');
  }

  function closeTest() {
    state.testFor = null;
    $('test-form').classList.add('hidden');
  }

  /* The national method reads an inhibition rate of 50 % or more as a fail; the clerk's own choice wins. */
  function suggestResult() {
    if (state.resultTouched || $('test-value').value === '') return;
    var fail = Number($('test-value').value) >= 50;
    $('test-fail').checked = fail;
    $('test-pass').checked = !fail;
  }

  function testError(message, field) {
    $('test-error').textContent = message;
    if (field) $(field).focus();
    return false;
  }

  function submitTest() {
    var line = state.testFor;
    if (!line) return false;
    $('test-error').textContent = '';
    var itemName = $('test-item').value.trim();
    var raw = $('test-value').value;
    var value = Number(raw);
    var result = $('test-pass').checked ? 'PASS' : $('test-fail').checked ? 'FAIL' : null;
    var tester = $('tester').value.trim();
    if (!itemName) return testError(T.needItem, 'test-item');
    if (raw === '' || !(value >= 0 && value <= 100)) return testError(T.needValue, 'test-value');
    if (!result) return testError(T.needResult, 'test-pass');
    if (!tester) return testError(T.needTester, 'tester');
    localStorage.setItem(TESTER_KEY, tester);
    var testId = client.uuid();
    var item = {
      testId: testId,
      accountId: String(state.me.id),
      accountName: state.me.name,
      line: line,
      input: { entryId: String(line.entryId), items: [{ item: itemName, value: value, unit: '%', result: result }], tester: tester, testId: testId },
    };
    results.add(item);
    closeTest();
    sendTest(item, true);
    return true;
  }

  /* The entry as the server holds it, once a test result has decided it; shown like any answer. */
  function showDecided(item, entry, foreground) {
    addRecent(item.line, entry.decision, entry.reasons);
    if (foreground) showAnswer(entry.decision, entry.reasons, item.line.detail);
  }

  function testQueued(item, foreground) {
    addRecent(item.line, 'QUEUED', [{ zh: T.testQueued, en: T.testQueued }]);
    if (foreground) showAnswer('QUEUED', [{ zh: T.testQueuedHint, en: T.testQueuedHint }], item.line.detail);
    renderStatus();
    return false;
  }

  function testFailed(item, body, foreground) {
    results.remove(item.testId);
    var error = body.errors && body.errors[0];
    var message = (error && error.message) || '';
    if (foreground && errorCode(body) === 'BAD_USER_INPUT') {
      // the clerk corrects the form; nothing was recorded
      openTest(item.line);
      $('test-value').value = String(item.input.items[0].value);
      $('tester').value = item.input.tester;
      $('test-item').value = item.input.items[0].item;
      $('test-' + item.input.items[0].result.toLowerCase()).checked = true;
      $('test-error').textContent = message;
    } else {
      addRecent(item.line, 'ERROR', [{ zh: message, en: message }]);
      if (foreground) showAnswer('ERROR', [{ zh: message, en: message }], item.line.detail);
    }
    renderStatus();
    return true;
  }

  /* Sends one stored result; it leaves the store only once the server answered. Resolves true when it left,
     false to keep it for the next flush. */
  function sendTest(item, foreground) {
    return results.sendOnce(item.testId, function () {
      // another sending of this result may have been answered since this copy was read
      if (!results.has(item.testId)) return Promise.resolve(true);
      if (!state.token || !mine(item)) return Promise.resolve(false);
      // the testId makes a resend after a lost answer safe (the server answers it with its first answer); a result
      // stored by an earlier version of this page has the key only beside its input
      var input = Object.assign({}, item.input, { testId: item.testId });
      return gql(TEST_MUTATION, { input: input }).then(function (res) {
        if (errorCode(res) === 'UNAUTHENTICATED') { sessionEnded(); renderStatus(); return false; }
        if (RETRY_CODES.indexOf(errorCode(res)) >= 0) return testQueued(item, foreground);
        if (!res.data || !res.data.recordRapidTest) return testFailed(item, res, foreground);
        results.remove(item.testId);
        showDecided(item, res.data.recordRapidTest.entry, foreground);
        renderStatus();
        return true;
      }).then(null, function () { return testQueued(item, foreground); });
    });
  }

  /* What the clerk checks against the load in front of them: product, lot, producer and grade, certificate. */
  function describe(answer) {
    var parts = [];
    if (answer.batch) parts.push(answer.batch.productName, T.lot + ' ' + answer.batch.lotCode);
    if (answer.producer) parts.push(answer.producer.name + ' (' + T.grade + ' ' + answer.producer.grade + ')');
    if (answer.certificate) parts.push(T.certificate + ' ' + answer.certificate.number);
    return parts.join(' · ');
  }

  function showAnswer(decision, reasons, detail) {
    var box = $('answer');
    box.className = 'answer ' + decision;
    $('answer-word').textContent = T[decision] || decision;
    $('answer-detail').textContent = detail || '';
    var list = $('answer-reasons');
    list.textContent = '';
    (reasons || []).forEach(function (r) {
      var li = document.createElement('li');
      li.textContent = T.lang === 'en' ? r.en : r.zh;
      if (r.code) li.setAttribute('data-code', r.code);
      list.appendChild(li);
    });
  }

  function showQueued() { showAnswer('QUEUED', [{ zh: T.queuedHint, en: T.queuedHint }]); }

  /* One line per load: a later answer for the same entry (its test result) replaces the earlier one. */
  function addRecent(line, decision, reasons) {
    var list = $('recent');
    var li = document.createElement('li');
    li.className = 'recent-' + decision;
    var word = document.createElement('strong');
    word.textContent = T[decision] || decision;
    li.appendChild(word);
    li.appendChild(document.createTextNode(' · ' + line.vendorName + ' · ' + line.quantity + ' ' + line.unitLabel));
    var why = (reasons || []).map(function (r) { return T.lang === 'en' ? r.en : r.zh; }).join('; ');
    if (why) li.appendChild(document.createTextNode(' · ' + why));
    if (line.entryId) {
      li.setAttribute('data-entry', String(line.entryId));
      Array.prototype.forEach.call(list.querySelectorAll('li[data-entry="' + String(line.entryId).replace(/[^0-9]/g, '') + '"]'), function (old) { list.removeChild(old); });
      if (decision === 'TEST_REQUIRED') {
        var button = document.createElement('button');
        button.type = 'button';
        button.className = 'record-test secondary';
        button.textContent = T.recordTestFor;
        button.addEventListener('click', function () { openTest(line); $('test-form').scrollIntoView({ block: 'nearest' }); });
        li.appendChild(button);
      }
    }
    list.insertBefore(li, list.firstChild);
    while (list.children.length > 20) list.removeChild(list.lastChild);
  }

  function renderStatus() {
    var online = state.reachable === null ? navigator.onLine : state.reachable;
    var net = $('net');
    net.textContent = online ? T.online : T.offline;
    net.className = online ? '' : 'offline';
    var stored = scans.all().concat(results.all());
    $('pending').textContent = T.pending.replace('{n}', String(stored.filter(mine).length));
    // other clerks' items, by clerk in the order they were stored: they wait for that clerk's sign-in
    var others = [];
    var counts = {};
    stored.filter(function (item) { return !mine(item); }).forEach(function (item) {
      var name = item.accountName || String(item.accountId);
      if (!(name in counts)) { counts[name] = 0; others.push(name); }
      counts[name]++;
    });
    var list = $('waiting');
    list.textContent = '';
    others.forEach(function (name) {
      var li = document.createElement('li');
      li.textContent = T.waitingFor.replace('{n}', String(counts[name])).replace('{name}', name);
      list.appendChild(li);
    });
  }

  /* ---------- camera ---------- */

  var scanner = client.qrScanner({
    video: $('camera'),
    button: $('scan-button'),
    labels: { scan: T.scan, stop: T.stopScan },
    onText: function (text) { $('code').value = text; check(text); },
    onUnavailable: function () { $('form-error').textContent = T.cameraUnavailable; },
  });
  function startCamera() {
    $('form-error').textContent = '';
    scanner.toggle();
  }
  function stopCamera() { if (scanner) scanner.stop(); }

  /* ---------- wiring ---------- */

  $('signout').addEventListener('click', function (e) { e.preventDefault(); signOut(); });
  $('scan-form').addEventListener('submit', function (e) { e.preventDefault(); check($('code').value); });
  $('scan-button').addEventListener('click', startCamera);
  $('vendor').addEventListener('change', rememberForm);
  $('unit').addEventListener('change', rememberForm);
  $('test-form').addEventListener('submit', function (e) { e.preventDefault(); submitTest(); });
  $('test-value').addEventListener('input', suggestResult);
  $('test-pass').addEventListener('change', function () { state.resultTouched = true; });
  $('test-fail').addEventListener('change', function () { state.resultTouched = true; });
  // the browser's word is a hint: it only prompts an early try, and the answer to that try decides
  window.addEventListener('online', function () { renderStatus(); flush(); });
  window.addEventListener('offline', function () { state.reachable = false; renderStatus(); });
  setInterval(flush, 10000);

  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/static/gate-sw.js', { scope: '/gate' }).catch(function () { /* the page works without it */ });

  card.start();
});
