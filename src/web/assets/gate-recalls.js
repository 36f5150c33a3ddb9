/* The gate's recall alerts: a recall that reaches this market (its RECALL_STARTED notification) shows at once above
   the scanner, with a link to the recall's notice; the lot is refused at this gate from the same moment. The gate
   script announces its sign-in and sign-out as `gate:signed-in` (detail: { token }) and `gate:signed-out`. */
(function () {
  'use strict';

  var T = JSON.parse(document.getElementById('gate-text').textContent);
  var live = import('/static/live-notices.js');
  var stop = null;

  function show(n) {
    if (n.kind !== 'RECALL_STARTED') return;
    var list = document.getElementById('recall-alerts');
    var li = document.createElement('li');
    li.className = 'banner fail';
    li.setAttribute('data-recall', n.payload.recallId);
    li.appendChild(document.createTextNode(n.subject + ' '));
    var a = document.createElement('a');
    a.href = '/recall/' + encodeURIComponent(n.payload.recallId) + '?lang=' + T.lang;
    a.textContent = T.recallNotice;
    li.appendChild(a);
    list.insertBefore(li, list.firstChild);
  }

  document.addEventListener('gate:signed-in', function (e) {
    var token = e.detail.token;
    live.then(function (m) {
      if (stop) stop();
      stop = m.liveNotices(token, show);
    });
  });
  document.addEventListener('gate:signed-out', function () {
    live.then(function () { if (stop) stop(); stop = null; });
  });
})();
