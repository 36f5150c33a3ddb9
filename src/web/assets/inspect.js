/* Field inspection on a phone. An inspection is stored on the device with its clientKey before it is sent and
   removed only once the server answered, so one made offline is sent exactly once when the network returns (the
   server answers a repeated clientKey with its first answer and writes nothing). Its photos wait in IndexedDB until
   POST /inspect/photos answered their sha-256 name; only then is the inspection, naming them, sent.
   Each stored inspection carries the account that made it and is sent only under that account's token.
   navigator.onLine is only a hint: a request that gets no answer says offline.
   The request, sign-in and device-store plumbing comes from /static/client.js, shared with the gate. */
import('/static/client.js').then(function (client) {
  'use strict';

  var T = JSON.parse(document.getElementById('inspect-text').textContent);
  var TOKEN_KEY = 'foodtrace.inspect.token';
  var ME_KEY = 'foodtrace.inspect.me';
  var CHECKLISTS_KEY = 'foodtrace.inspect.checklists';
  var OPERATORS_KEY = 'foodtrace.inspect.operators';
  var QUEUE_KEY = 'foodtrace.inspect.queue';
  var RECENT_KEY = 'foodtrace.inspect.recent';
  var FIELD_ROLES = ['INSPECTOR', 'VILLAGE_ASSISTANT', 'REGULATOR'];
  var RETRY_CODES = ['UNAVAILABLE', 'INTERNAL_SERVER_ERROR', 'RATE_LIMITED'];
  var OPERATOR_FIELDS = 'id name kind village publicCode registrationNumber status';
  var RECORD =
    'mutation Record($input: RecordInspectionInput!) { recordInspection(input: $input) { id outcome points rectificationOrderId } }';

  var $ = client.byId;
  var load = client.load, save = client.save, errorCode = client.errorCode;
  var state = { token: null, me: null, flushing: false, reachable: null, stream: null, detector: null, canvas: null, operator: null, template: null, photos: [] };
  var queue = client.storedQueue(QUEUE_KEY, 'clientKey');
  var card = client.signInCard({ tokenKey: TOKEN_KEY, appId: 'inspector', submit: signIn });

  function fill(text, values) {
    return Object.keys(values).reduce(function (s, k) { return s.replace('{' + k + '}', String(values[k])); }, text);
  }

  function gql(query, variables) {
    return client.graphqlAnswer(state.token, query, variables).then(function (body) {
      state.reachable = true; renderStatus(); return body;
    }, function (e) {
      state.reachable = false; renderStatus(); throw e;
    });
  }

  function mine(item) { return state.me && String(item.accountId) === String(state.me.id); }

  /* ---------- photos waiting on the device (IndexedDB: a phone photo is too large for localStorage) ---------- */

  var dbPromise = null;
  function photoDb() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var open = indexedDB.open('foodtrace-inspect', 1);
        open.onupgradeneeded = function () { open.result.createObjectStore('photos'); };
        open.onsuccess = function () { resolve(open.result); };
        open.onerror = function () { reject(open.error); };
      });
    }
    return dbPromise;
  }

  function photoStore(mode, run) {
    return photoDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction('photos', mode);
        var request = run(tx.objectStore('photos'));
        tx.oncomplete = function () { resolve(request && request.result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  var putPhoto = function (id, blob) { return photoStore('readwrite', function (s) { return s.put(blob, id); }); };
  var getPhoto = function (id) { return photoStore('readonly', function (s) { return s.get(id); }); };
  var dropPhoto = function (id) { return photoStore('readwrite', function (s) { return s.delete(id); }); };

  /* Uploads one photo; resolves its sha-256 name, rejects { refused: message } when the server refused the image,
     or { lost: true } when there was no answer (the photo stays for a later try). */
  function upload(blob) {
    var form = new FormData();
    form.append('photo', blob, 'photo');
    return fetch('/inspect/photos', { method: 'POST', headers: client.bearer(state.token), body: form }).then(function (res) {
      state.reachable = true; renderStatus();
      return res.json().then(function (body) {
        if (res.status === 201 && body.sha256) return body.sha256;
        var code = body.error && body.error.code;
        if (res.status === 401) throw { unauthenticated: true };
        if (code === 'BAD_USER_INPUT' || res.status === 413) throw { refused: (body.error && body.error.message) || ('HTTP ' + res.status) };
        throw { lost: true };
      }, function () { throw { lost: true }; });
    }, function () { state.reachable = false; renderStatus(); throw { lost: true }; });
  }

  /* ---------- sign-in ---------- */

  function showApp() {
    card.hide();
    $('who').textContent = T.signedInAs + ': ' + state.me.name;
    renderRecent();
    renderStatus();
  }

  function signIn(token) {
    state.token = token;
    return gql('query { me { id name role village } }').then(function (body) {
      if (!body.data || !body.data.me) {
        state.token = null;
        if (errorCode(body) === 'UNAUTHENTICATED' && card.stored() === token) card.forget();
        card.show(errorCode(body) === 'UNAUTHENTICATED' ? T.badToken : (body.errors && body.errors[0].message) || T.badToken);
        return;
      }
      var me = body.data.me;
      if (FIELD_ROLES.indexOf(me.role) < 0) { state.token = null; card.show(T.notFieldStaff); return; }
      if (state.me && String(state.me.id) !== String(me.id)) save(OPERATORS_KEY, []);
      card.remember(token);
      state.me = me;
      save(ME_KEY, me);
      showApp();
      refreshReference().then(flush);
    }, function () {
      /* offline with a token this device already signed in with: keep working from what is stored */
      var me = load(ME_KEY, null);
      if (me && card.stored() === token) { state.me = me; showApp(); }
      else { state.token = null; card.show(T.offline); }
    });
  }

  /* The checklists in use and the operators this account may inspect, kept for work without a network. */
  function refreshReference() {
    var checklists = gql('query { checklists { id operatorKind version zh en items { code severity zh en } } }').then(function (body) {
      if (body.data && body.data.checklists) save(CHECKLISTS_KEY, body.data.checklists);
    }, function () { /* offline: the stored ones stay */ });
    var operators = gql('query { operatorsToInspect(first: 500) { ' + OPERATOR_FIELDS + ' } }').then(function (body) {
      if (body.data && body.data.operatorsToInspect) remember(body.data.operatorsToInspect);
    }, function () { /* offline */ });
    return Promise.all([checklists, operators]);
  }

  function remember(operators) {
    var byId = {};
    load(OPERATORS_KEY, []).concat(operators).forEach(function (o) { byId[o.id] = o; });
    save(OPERATORS_KEY, Object.keys(byId).map(function (k) { return byId[k]; }));
  }

  function signOut() {
    var waiting = queue.all().filter(mine).length;
    if (waiting && !window.confirm(fill(T.confirmSignOut, { n: waiting }))) return;
    stopCamera();
    closeInspection();
    card.forget();
    localStorage.removeItem(ME_KEY);
    localStorage.removeItem(OPERATORS_KEY);
    state.token = null; state.me = null;
    card.show('');
  }

  function sessionEnded() {
    if (!state.token) return;
    card.forget();
    state.token = null;
    state.me = null;
    localStorage.removeItem(ME_KEY);
    stopCamera();
    card.show(T.signInAgain);
  }

  /* ---------- finding the operator ---------- */

  /* The card code in a registration card's QR text (`…/o/CODE`), or null. */
  function cardCode(text) {
    var m = /(?:^|\/)o\/([A-Za-z0-9_-]{1,64})\/?(?:[?#].*)?$/.exec(text);
    return m ? m[1] : null;
  }

  function storedMatches(text) {
    var code = cardCode(text);
    var needle = text.toLowerCase();
    return load(OPERATORS_KEY, []).filter(function (o) {
      if (code) return o.publicCode === code;
      return o.publicCode === text || o.registrationNumber === text || o.name.toLowerCase().indexOf(needle) >= 0;
    });
  }

  function find(text) {
    $('find-error').textContent = '';
    text = (text || '').trim();
    return gql('query($s: String) { operatorsToInspect(search: $s, first: 20) { ' + OPERATOR_FIELDS + ' } }', { s: text || null }).then(function (body) {
      if (errorCode(body) === 'UNAUTHENTICATED') { sessionEnded(); return; }
      if (!body.data) { $('find-error').textContent = (body.errors && body.errors[0].message) || T.ERROR; return; }
      remember(body.data.operatorsToInspect);
      showFound(body.data.operatorsToInspect, text);
    }, function () {
      var found = storedMatches(text);
      showFound(found, text);
      if (!found.length) $('find-error').textContent = T.unknownOffline;
    });
  }

  function showFound(operators, text) {
    var list = $('found');
    list.textContent = '';
    if (!operators.length) { $('find-error').textContent = T.notFound; return; }
    // a scanned card names one operator: open it at once
    if (operators.length === 1 && cardCode(text)) { openInspection(operators[0]); return; }
    operators.forEach(function (o) {
      var li = document.createElement('li');
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'secondary pick';
      button.setAttribute('data-operator', String(o.id));
      button.textContent = o.name + ' · ' + (T.kinds[o.kind] || o.kind) + (o.village ? ' · ' + o.village : '');
      button.addEventListener('click', function () { openInspection(o); });
      li.appendChild(button);
      list.appendChild(li);
    });
  }

  /* ---------- the checklist ---------- */

  function templateFor(kind) {
    return load(CHECKLISTS_KEY, []).filter(function (c) { return c.operatorKind === kind; })
      .sort(function (a, b) { return b.version - a.version; })[0] || null;
  }

  function openInspection(operator) {
    stopCamera();
    $('found').textContent = '';
    $('answer').className = 'answer hidden';
    var template = templateFor(operator.kind);
    if (!template) { $('find-error').textContent = T.noChecklist; return; }
    state.operator = operator;
    state.template = template;
    state.photos = [];
    $('operator-name').textContent = operator.name;
    $('operator-detail').textContent = [T.kinds[operator.kind] || operator.kind, operator.village, operator.registrationNumber].filter(Boolean).join(' · ');
    $('checklist-name').textContent = T.checklist + ': ' + (T.lang === 'en' ? template.en : template.zh) + ' v' + template.version;
    var list = $('items');
    list.textContent = '';
    template.items.forEach(function (item) {
      var li = document.createElement('li');
      li.setAttribute('data-code', item.code);
      li.className = 'item ' + item.severity;
      var words = document.createElement('p');
      words.textContent = (T.lang === 'en' ? item.en : item.zh) + ' (' + (T[item.severity] || item.severity) + ')';
      li.appendChild(words);
      var row = document.createElement('div');
      row.className = 'row verdict';
      ['YES', 'NO', 'NOT_APPLICABLE'].forEach(function (answer) {
        var label = document.createElement('label');
        label.className = 'choice ' + answer;
        var input = document.createElement('input');
        input.type = 'radio';
        input.name = 'answer-' + item.code;
        input.value = answer;
        label.appendChild(input);
        label.appendChild(document.createTextNode(T[answer]));
        row.appendChild(label);
      });
      li.appendChild(row);
      var note = document.createElement('input');
      note.type = 'text';
      note.className = 'note';
      note.maxLength = 1000;
      note.placeholder = T.note;
      note.setAttribute('aria-label', T.note);
      li.appendChild(note);
      list.appendChild(li);
    });
    $('findings').value = '';
    $('photos').textContent = '';
    $('inspect-error').textContent = '';
    $('inspect-form').classList.remove('hidden');
    $('find-form').classList.add('hidden');
  }

  function closeInspection() {
    state.photos.forEach(function (p) { if (p.url) URL.revokeObjectURL(p.url); });
    state.operator = null; state.template = null; state.photos = [];
    $('inspect-form').classList.add('hidden');
    $('find-form').classList.remove('hidden');
  }

  function addPhoto(file) {
    if (!file) return;
    var local = client.uuid();
    var photo = { local: local, sha256: null, url: URL.createObjectURL(file) };
    state.photos.push(photo);
    renderPhotos();
    putPhoto(local, file).then(function () {
      if (!state.token) return;
      // sent at once when there is a network; otherwise it waits with the inspection
      return upload(file).then(function (sha256) { photo.sha256 = sha256; renderPhotos(); }, function (e) {
        if (e && e.refused) {
          state.photos = state.photos.filter(function (p) { return p !== photo; });
          dropPhoto(local);
          renderPhotos();
          $('inspect-error').textContent = fill(T.photoRefused, { message: e.refused });
        }
      });
    });
  }

  function renderPhotos() {
    var list = $('photos');
    list.textContent = '';
    state.photos.forEach(function (p) {
      var li = document.createElement('li');
      var img = document.createElement('img');
      img.src = p.url;
      img.alt = '';
      li.appendChild(img);
      if (!p.sha256) { var s = document.createElement('span'); s.textContent = T.photoWaiting; li.appendChild(s); }
      else li.setAttribute('data-sha256', p.sha256);
      list.appendChild(li);
    });
  }

  function submitInspection() {
    $('inspect-error').textContent = '';
    var template = state.template;
    var answers = [];
    var open = 0;
    var missingNote = null;
    template.items.forEach(function (item) {
      var li = $('items').querySelector('li[data-code="' + item.code + '"]');
      var checked = li.querySelector('input[type=radio]:checked');
      var note = li.querySelector('input.note').value.trim();
      if (!checked) { open++; return; }
      if (checked.value === 'NO' && !note && !missingNote) missingNote = T.lang === 'en' ? item.en : item.zh;
      answers.push({ code: item.code, answer: checked.value, note: note || null });
    });
    if (open) { $('inspect-error').textContent = fill(T.needAnswers, { n: open }); return; }
    if (missingNote) { $('inspect-error').textContent = fill(T.needNote, { item: missingNote }); return; }
    var clientKey = client.uuid();
    var item = {
      clientKey: clientKey,
      accountId: String(state.me.id),
      accountName: state.me.name,
      operatorName: state.operator.name,
      photos: state.photos.map(function (p) { return { local: p.local, sha256: p.sha256 }; }),
      input: {
        operatorId: String(state.operator.id), templateId: String(template.id), answers: answers,
        findings: $('findings').value.trim() || null, inspectedAt: new Date().toISOString(), clientKey: clientKey,
      },
    };
    queue.add(item);
    closeInspection();
    send(item, true);
  }

  /* ---------- sending ---------- */

  /* Uploads the photos of a stored inspection not yet uploaded, saving each name as it comes; resolves false when
     the network was lost (everything stays), true when every photo has its name or was refused. */
  function uploadPhotos(item) {
    var pending = item.photos.filter(function (p) { return !p.sha256; });
    var step = function (i) {
      if (i >= pending.length) return Promise.resolve(true);
      var p = pending[i];
      return getPhoto(p.local).then(function (blob) {
        if (!blob) { p.gone = true; return step(i + 1); }
        return upload(blob).then(function (sha256) {
          p.sha256 = sha256;
          updateStored(item);
          return step(i + 1);
        }, function (e) {
          if (e && e.unauthenticated) { sessionEnded(); return false; }
          if (e && e.refused) { p.gone = true; p.refused = e.refused; updateStored(item); return step(i + 1); }
          return false;
        });
      });
    };
    return step(0);
  }

  function updateStored(item) {
    save(QUEUE_KEY, queue.all().map(function (q) { return q.clientKey === item.clientKey ? item : q; }));
  }

  function send(item, foreground) {
    return queue.sendOnce(item.clientKey, function () {
      if (!queue.has(item.clientKey)) return Promise.resolve(true);
      if (!state.token || !mine(item)) return Promise.resolve(false);
      return uploadPhotos(item).then(function (uploaded) {
        if (!uploaded) return queued(foreground);
        var photos = item.photos.filter(function (p) { return p.sha256; }).map(function (p) { return p.sha256; });
        var input = Object.assign({}, item.input, { photos: photos });
        return gql(RECORD, { input: input }).then(function (body) {
          var code = errorCode(body);
          if (code === 'UNAUTHENTICATED') { sessionEnded(); return false; }
          if (RETRY_CODES.indexOf(code) >= 0) return queued(foreground);
          queue.remove(item.clientKey);
          item.photos.forEach(function (p) { dropPhoto(p.local); });
          var refused = item.photos.filter(function (p) { return p.refused; }).map(function (p) { return fill(T.photoRefused, { message: p.refused }); });
          if (body.data && body.data.recordInspection) {
            var r = body.data.recordInspection;
            addRecent({ clientKey: item.clientKey, operatorName: item.operatorName, outcome: r.outcome, points: r.points, order: r.rectificationOrderId, notes: refused });
            if (foreground) showAnswer(r.outcome, item.operatorName + (r.points ? ' · ' + r.points : ''));
          } else {
            var message = (body.errors && body.errors[0] && body.errors[0].message) || '';
            addRecent({ clientKey: item.clientKey, operatorName: item.operatorName, outcome: 'ERROR', notes: [message].concat(refused) });
            if (foreground) showAnswer('ERROR', message);
          }
          renderStatus();
          return true;
        }, function () { return queued(foreground); });
      });
    });
  }

  function queued(foreground) {
    if (foreground) showAnswer('QUEUED', '');
    renderStatus();
    return false;
  }

  /* Sends what the signed-in account stored, oldest first, one at a time; stops at the first the network loses. */
  function flush() {
    if (state.flushing || !state.token) return Promise.resolve();
    state.flushing = true;
    var steps = queue.all().filter(mine).map(function (item) { return function () { return send(item, false); }; });
    return client.inOrder(steps).then(function () { state.flushing = false; renderStatus(); }, function () { state.flushing = false; });
  }

  /* ---------- what the inspector sees ---------- */

  function showAnswer(word, detail) {
    $('answer').className = 'answer ' + word;
    $('answer-word').textContent = T[word] || word;
    $('answer-detail').textContent = detail || '';
  }

  function addRecent(line) {
    var lines = load(RECENT_KEY, []).filter(function (l) { return l.clientKey !== line.clientKey; });
    lines.unshift(line);
    save(RECENT_KEY, lines.slice(0, 20));
    renderRecent();
  }

  function renderRecent() {
    var list = $('recent');
    list.textContent = '';
    var waiting = queue.all().filter(mine).map(function (q) { return { clientKey: q.clientKey, operatorName: q.operatorName, outcome: 'QUEUED' }; });
    waiting.reverse().concat(load(RECENT_KEY, [])).forEach(function (l) {
      var li = document.createElement('li');
      li.className = 'recent-' + l.outcome;
      var word = document.createElement('strong');
      word.textContent = T[l.outcome] || l.outcome;
      li.appendChild(word);
      li.appendChild(document.createTextNode(' · ' + l.operatorName + (l.points ? ' · ' + l.points : '') + (l.order ? ' · ' + T.order : '')));
      (l.notes || []).filter(Boolean).forEach(function (n) { li.appendChild(document.createTextNode(' · ' + n)); });
      list.appendChild(li);
    });
  }

  function renderStatus() {
    var online = state.reachable === null ? navigator.onLine : state.reachable;
    $('net').textContent = online ? T.online : T.offline;
    $('net').className = online ? '' : 'offline';
    $('pending').textContent = fill(T.pending, { n: queue.all().filter(mine).length });
    renderRecent();
  }

  /* ---------- camera ---------- */

  var scanner = client.qrScanner({
    video: $('camera'),
    button: $('scan-button'),
    labels: { scan: T.scan, stop: T.stopScan },
    onText: function (text) { if (!cardCode(text)) { $('find-error').textContent = T.notACard; return; } $('search').value = text; find(text); },
    onUnavailable: function () { $('find-error').textContent = T.cameraUnavailable; },
  });
  function startCamera() {
    $('find-error').textContent = '';
    scanner.toggle();
  }
  function stopCamera() { if (scanner) scanner.stop(); }

  /* ---------- wiring ---------- */

  $('signout').addEventListener('click', function (e) { e.preventDefault(); signOut(); });
  $('find-form').addEventListener('submit', function (e) { e.preventDefault(); find($('search').value); });
  $('scan-button').addEventListener('click', startCamera);
  $('inspect-form').addEventListener('submit', function (e) { e.preventDefault(); submitInspection(); });
  $('cancel-button').addEventListener('click', closeInspection);
  $('photo-input').addEventListener('change', function () {
    var input = $('photo-input');
    if (input.files && input.files[0]) addPhoto(input.files[0]);
    input.value = '';
  });
  window.addEventListener('online', function () { renderStatus(); flush(); });
  window.addEventListener('offline', function () { state.reachable = false; renderStatus(); });
  setInterval(flush, 10000);

  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/static/inspect-sw.js', { scope: '/inspect' }).catch(function () { /* the page works without it */ });

  card.start();
});
