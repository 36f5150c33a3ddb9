import { INCIDENT_KIND_NAMES } from '../incident/incident.rules';
import { html, jsonData, raw, type SafeHtml } from './html';
import type { Lang } from './i18n';

const kindNames = (lang: Lang) => Object.fromEntries(Object.entries(INCIDENT_KIND_NAMES).map(([kind, name]) => [kind, name[lang]]));

/** Texts of the desk's live alerts and incidents panel; shipped in the page as data, read by /static/desk-incidents.js. */
const TEXT = {
  zh: {
    alerts: '实时提醒',
    noAlerts: '暂无新提醒。',
    liveDown: '实时连接已断开，正在重新连接…',
    incidents: '事故与投诉',
    statsTitle: '本月统计',
    reported: '报告数',
    reportRate: '及时报告率',
    onTime: '按时处置率',
    handledOnTime: '按时处置 / 应处置',
    overdue: '逾期未处置',
    drills: '演练',
    noRate: '—',
    number: '编号',
    kind: '类型',
    place: '地点',
    status: '状态',
    deadline: '期限',
    timeline: '处置过程',
    overdueMark: '已逾期',
    noIncidents: '没有未结案的事故。',
    more: '更多',
    kinds: kindNames('zh'),
    places: { VILLAGE: '村', OPERATOR: '经营主体', CANTEEN: '食堂', BANQUET: '宴席' },
    statuses: { REPORTED: '已报告', INVESTIGATING: '调查中', HANDLED: '已处置', CLOSED: '已结案' },
    peopleIll: '不适人数',
    newAlert: '新提醒',
    error: '出错',
  },
  en: {
    alerts: 'Live alerts',
    noAlerts: 'No new alerts.',
    liveDown: 'Live connection lost; reconnecting…',
    incidents: 'Incidents',
    statsTitle: 'This month',
    reported: 'Reported',
    reportRate: 'Report rate',
    onTime: 'On-time handling rate',
    handledOnTime: 'Handled on time / due',
    overdue: 'Overdue, not handled',
    drills: 'Drills',
    noRate: '—',
    number: 'No.',
    kind: 'Kind',
    place: 'Place',
    status: 'Status',
    deadline: 'Deadline',
    timeline: 'Timeline',
    overdueMark: 'overdue',
    noIncidents: 'No open incidents.',
    more: 'More',
    kinds: kindNames('en'),
    places: { VILLAGE: 'Village', OPERATOR: 'Operator', CANTEEN: 'Canteen', BANQUET: 'Banquet' },
    statuses: { REPORTED: 'Reported', INVESTIGATING: 'Investigating', HANDLED: 'Handled', CLOSED: 'Closed' },
    peopleIll: 'People ill',
    newAlert: 'New alert',
    error: 'Error',
  },
};

/**
 * The desk's live alerts (each new notification of the signed-in account, over graphql-ws at /graphql/ws, announced
 * in a live region) and its incidents panel (open incidents with their deadlines and timelines, and this month's
 * statistics of `incidentStats`). Filled by /static/desk-incidents.js once the desk has signed in.
 */
export function renderDeskIncidents(lang: Lang, timeZone: string, utcOffset: string): SafeHtml {
  const t = TEXT[lang];
  return html`<section class="card" id="alerts" aria-labelledby="alerts-title">
<h2 id="alerts-title">${t.alerts}</h2>
<p class="sub" id="alerts-empty">${t.noAlerts}</p>
<p class="sub hidden" id="alerts-down" role="status">${t.liveDown}</p>
<ul id="alert-list" aria-live="polite" aria-relevant="additions"></ul>
</section>

<section class="card" id="incidents" aria-labelledby="incidents-title">
<h2 id="incidents-title">${t.incidents}</h2>
<h3>${t.statsTitle} <span class="sub" id="incident-period"></span></h3>
<dl id="incident-stats" class="facts"></dl>
<div class="scroll"><table class="stack"><thead><tr><th>${t.number}</th><th>${t.kind}</th><th>${t.place}</th><th>${t.status}</th><th>${t.deadline}</th><th>${t.timeline}</th></tr></thead>
<tbody id="incident-rows"></tbody></table></div>
<p class="sub" id="incidents-info"></p>
<button type="button" id="incidents-more" class="secondary hidden">${t.more}</button>
<p class="fail" id="incidents-error" role="alert"></p>
</section>
${raw(jsonData('desk-incidents-text', { lang, timeZone, utcOffset, ...t }))}`;
}
