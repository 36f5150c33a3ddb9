/* The regulator desk's live alerts and incidents panel. The desk script (/static/regulator.js) announces its sign-in
   and sign-out as `desk:signed-in` (detail: { token }) and `desk:signed-out` events on the document; this module
   listens from its first line, so a sign-in with a stored token is never missed. Alerts come over /graphql/ws
   (/static/live-notices.js); data reaches the page only through textContent. */
(function () {
  'use strict';

  var T = JSON.parse(document.getElementById('desk-incidents-text').textContent);
  var libraries = Promise.all([import('/static/client.js'), import('/static/live-notices.js')]);
  var session = null;

  document.addEventListener('desk:signed-in', function (e) {
    var token = e.detail.token;
    libraries.then(function (libs) {
      stop();
      session = start(libs[0], libs[1], token);
    });
  });
  document.addEventListener('desk:signed-out', function () { libraries.then(stop); });

  function stop() {
    if (session) session.dispose();
    session = null;
  }

  var PAGE = 20;
  var OPEN = ['REPORTED', 'INVESTIGATING'];
  var INCIDENTS_QUERY =
    'query Incidents($first: Int, $after: String) { incidents(filter: { open: true, drill: false }, first: $first, after: $after) { ' +
    'edges { node { id kind status placeKind placeRef village peopleIll reportedAt investigateDueAt handleDueAt ' +
    'steps { id status at byName notes dueAt } } } pageInfo { hasNextPage endCursor } } }';
  var STATS_QUERY =
    'query Stats($period: IncidentPeriodInput!) { incidentStats(period: $period) { reported reportedInTime reportRate handlingDue handledOnTime onTimeHandlingRate overdue drills } }';

  var dateFormat = new Intl.DateTimeFormat(T.lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: T.timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
  });
  function when(iso) { return iso ? dateFormat.format(new Date(iso)) : ''; }
  function percent(rate) { return rate === null || rate === undefined ? T.noRate : (Math.round(rate * 1000) / 10) + ' %'; }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function $(id) { return document.getElementById(id); }

  /* this month in the county's time zone, as the instants its first day and the next month's first day begin */
  function thisMonth() {
    var parts = {};
    new Intl.DateTimeFormat('en', { timeZone: T.timeZone, year: 'numeric', month: '2-digit' }).formatToParts(new Date())
      .forEach(function (p) { parts[p.type] = p.value; });
    var y = Number(parts.year), m = Number(parts.month);
    var next = m === 12 ? (y + 1) + '-01' : y + '-' + String(m + 1).padStart(2, '0');
    return { label: parts.year + '-' + parts.month, from: parts.year + '-' + parts.month + '-01T00:00:00' + T.utcOffset, to: next + '-01T00:00:00' + T.utcOffset };
  }

  function start(client, live, token) {
    var after = null;
    var disposed = false;
    var gql = function (query, variables) { return client.graphqlData(token, query, variables); };
    var fail = function (e) { if (!disposed) $('incidents-error').textContent = T.error + ': ' + ((e && e.message) || String(e)); };

    function loadStats() {
      var month = thisMonth();
      $('incident-period').textContent = month.label;
      return gql(STATS_QUERY, { period: { from: month.from, to: month.to } }).then(function (data) {
        var s = data.incidentStats, dl = $('incident-stats');
        clear(dl);
        [[T.reported, s.reported, 'reported'], [T.reportRate, percent(s.reportRate) + ' (' + s.reportedInTime + ' / ' + s.reported + ')', 'report-rate'],
          [T.onTime, percent(s.onTimeHandlingRate), 'on-time'], [T.handledOnTime, s.handledOnTime + ' / ' + s.handlingDue, 'handled-on-time'],
          [T.overdue, s.overdue, 'overdue'], [T.drills, s.drills, 'drills']].forEach(function (p) {
          dl.appendChild(el('dt', p[0]));
          var dd = el('dd', p[1]);
          dd.setAttribute('data-stat', p[2]);
          dl.appendChild(dd);
        });
      }, fail);
    }

    function timeline(steps) {
      var details = el('details');
      details.appendChild(el('summary', T.timeline + ' (' + steps.length + ')'));
      var ol = el('ol', null, 'plain');
      steps.forEach(function (s) {
        ol.appendChild(el('li', when(s.at) + ' · ' + (T.statuses[s.status] || s.status) + (s.byName ? ' · ' + s.byName : '') + (s.notes ? ' — ' + s.notes : '')));
      });
      details.appendChild(ol);
      return details;
    }

    function addIncident(body, n) {
      var due = n.status === 'REPORTED' ? n.investigateDueAt : n.status === 'INVESTIGATING' ? n.handleDueAt : null;
      var late = due && OPEN.indexOf(n.status) >= 0 && new Date(due).getTime() < Date.now();
      var place = (T.places[n.placeKind] || n.placeKind) + (n.village ? ' · ' + n.village : '') + (n.placeRef ? ' · ' + n.placeRef : '');
      var deadline = el('span', due ? when(due) : '—');
      if (late) { deadline.appendChild(document.createTextNode(' ')); deadline.appendChild(el('strong', T.overdueMark, 'fail')); }
      var cells = ['#' + n.id, (T.kinds[n.kind] || n.kind) + (n.peopleIll ? ' · ' + T.peopleIll + ' ' + n.peopleIll : ''), place, T.statuses[n.status] || n.status, deadline, timeline(n.steps)];
      var heads = body.parentNode.tHead.rows[0].cells;
      var tr = document.createElement('tr');
      tr.setAttribute('data-incident', n.id);
      if (late) tr.className = 'overdue';
      cells.forEach(function (c, i) {
        var td = el('td');
        if (c instanceof Node) td.appendChild(c); else td.textContent = c;
        td.setAttribute('data-label', heads[i].textContent);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    }

    function loadIncidents(more) {
      $('incidents-error').textContent = '';
      if (!more) after = null;
      return gql(INCIDENTS_QUERY, { first: PAGE, after: after }).then(function (data) {
        var conn = data.incidents, body = $('incident-rows');
        if (!more) clear(body);
        conn.edges.forEach(function (e) { addIncident(body, e.node); });
        after = conn.pageInfo.endCursor;
        $('incidents-more').classList.toggle('hidden', !conn.pageInfo.hasNextPage);
        $('incidents-info').textContent = body.rows.length ? '' : T.noIncidents;
      }, fail);
    }

    function alert(n) {
      var li = el('li', n.subject, 'alert alert-' + n.kind);
      li.dataset.id = n.id;
      $('alert-list').insertBefore(li, $('alert-list').firstChild);
      $('alerts-empty').classList.add('hidden');
      if (n.kind === 'INCIDENT_REPORTED') { loadIncidents(false); loadStats(); }
    }

    var more = function () { loadIncidents(true); };
    $('incidents-more').addEventListener('click', more);
    loadStats();
    loadIncidents(false);

    var stopLive = live.liveNotices(token, alert, function (up) { if (!disposed) $('alerts-down').classList.toggle('hidden', up); });

    return {
      dispose: function () {
        disposed = true;
        $('incidents-more').removeEventListener('click', more);
        stopLive();
      },
    };
  }
})();
