import { CREDIT_RULES } from '../credit/rules';
import { utcOffset } from '../local-time';
import { renderDeskIncidents } from './desk-incidents';
import { deskChartSections } from './desk-charts.page';
import { html, jsonData, layout, raw, signInSection } from './html';
import { OPERATOR_KIND, OPERATOR_STATUS, UNIT, type Lang } from './i18n';

/** Texts the desk script shows; shipped in the page as data, never as script. */
const TEXT = {
  zh: {
    title: '监管工作台',
    description: '监管人员的工作台：信用档案、统计图表、检查计划、追溯与召回。',
    signInTitle: '监管人员登录',
    token: '登录令牌',
    signIn: '登录',
    signOut: '退出',
    signedInAs: '当前账号',
    notRegulator: '此令牌不是监管或管理员账号，无权使用监管工作台。',
    badToken: '令牌无效或已停用。',
    needsScript: '此页面需要启用 JavaScript。',
    loading: '加载中…',
    overview: '信用等级分布',
    gradeCol: '等级',
    operatorsCol: '经营主体',
    activeCol: '正常经营',
    total: '合计',
    archive: '信用档案',
    grade: '等级',
    village: '村/地址',
    rule: '规则',
    from: '起始日期',
    to: '截止日期（含）',
    any: '全部',
    search: '查询',
    next: '下一页',
    csv: '下载 CSV',
    csvReady: '已生成 CSV 文件',
    pageInfo: '第 {p} 页，本页 {n} 条',
    noRows: '没有符合条件的记录。',
    when: '时间',
    operator: '经营主体',
    points: '分值',
    reason: '事由',
    reversed: '已撤销',
    plan: '本月检查计划',
    month: '月份',
    show: '显示',
    score: '信用分',
    lastInspected: '上次检查',
    never: '从未检查',
    perYear: '每年检查次数',
    planEmpty: '本月没有到期的检查。',
    lookup: '经营主体查询',
    operatorId: '经营主体编号',
    find: '查询',
    name: '名称',
    kind: '类型',
    status: '状态',
    forcedUntil: '强制 D 级至',
    chain: '档案哈希链',
    chainOk: (n: number) => `完整（已核验 ${n} 条）`,
    chainBroken: '断裂',
    chainFirst: '第一处断裂',
    events: '最近 20 条信用记录',
    trace: '追溯与召回',
    batchId: '批次编号',
    backward: '向上追溯',
    forward: '向下追踪',
    nodes: '批次数',
    truncated: '结果已截断',
    complete: '完整',
    yes: '是',
    no: '否',
    operators: '涉及经营主体',
    markets: '涉及市场',
    entries: '入场记录',
    quantities: '现存数量',
    batches: '批次',
    recall: '发起召回',
    recallReason: '召回原因',
    recallAsk: '确认召回该批次及其全部下游批次？此操作不可撤回。',
    confirm: '确认召回',
    cancel: '取消',
    recallDone: '召回已生效',
    recallBefore: '该批次此前已被召回，本次未作更改。',
    newlyRecalled: '本次新召回批次',
    needBatch: '请填写批次编号。',
    needReason: '请填写召回原因。',
    needOperator: '请填写经营主体编号。',
    assessment: '年度自评报告',
    assessmentIntro: '按县级考核指标生成的本镇自评报告：各项得分、依据与不足。报告在新标签页中打开，可打印或下载 PDF；打开链接 15 分钟内有效。',
    year: '年度',
    openAssessment: '打开自评报告',
    assessmentLinks: '报告链接（{time} 前有效）：',
    assessmentPage: '网页版',
    assessmentPdf: 'PDF',
    error: '出错',
  },
  en: {
    title: "Regulator's desk",
    description: "The regulators' desk: the credit archive, charts, the inspection plan, traces and recalls.",
    signInTitle: 'Regulator sign-in',
    token: 'Access token',
    signIn: 'Sign in',
    signOut: 'Sign out',
    signedInAs: 'Signed in as',
    notRegulator: 'This token is not a regulator or admin account; the desk is for regulators only.',
    badToken: 'The token is unknown or revoked.',
    needsScript: 'This page needs JavaScript.',
    loading: 'Loading…',
    overview: 'Operators by credit grade',
    gradeCol: 'Grade',
    operatorsCol: 'Operators',
    activeCol: 'Active',
    total: 'Total',
    archive: 'Credit archive',
    grade: 'Grade',
    village: 'Village / address',
    rule: 'Rule',
    from: 'From',
    to: 'To (inclusive)',
    any: 'Any',
    search: 'Search',
    next: 'Next page',
    csv: 'Download CSV',
    csvReady: 'CSV file ready',
    pageInfo: 'Page {p}, {n} rows on this page',
    noRows: 'No events match.',
    when: 'When',
    operator: 'Operator',
    points: 'Points',
    reason: 'Reason',
    reversed: 'reversed',
    plan: "This month's inspection plan",
    month: 'Month',
    show: 'Show',
    score: 'Score',
    lastInspected: 'Last inspected',
    never: 'never',
    perYear: 'Inspections a year',
    planEmpty: 'No inspection falls due this month.',
    lookup: 'Operator lookup',
    operatorId: 'Operator id',
    find: 'Look up',
    name: 'Name',
    kind: 'Kind',
    status: 'Status',
    forcedUntil: 'Held at D until',
    chain: 'Archive hash chain',
    chainOk: (n: number) => `OK (${n} events checked)`,
    chainBroken: 'BROKEN',
    chainFirst: 'First broken link',
    events: 'Latest 20 credit events',
    trace: 'Trace and recall',
    batchId: 'Batch id',
    backward: 'Trace backward',
    forward: 'Trace forward',
    nodes: 'Batches',
    truncated: 'Truncated',
    complete: 'complete',
    yes: 'yes',
    no: 'no',
    operators: 'Operators affected',
    markets: 'Markets',
    entries: 'gate entries',
    quantities: 'Quantity on hand',
    batches: 'batches',
    recall: 'Initiate recall',
    recallReason: 'Reason for the recall',
    recallAsk: 'Recall this batch and every batch made from it? This cannot be undone.',
    confirm: 'Confirm recall',
    cancel: 'Cancel',
    recallDone: 'Recall in force',
    recallBefore: 'This batch had been recalled before; nothing changed.',
    newlyRecalled: 'Newly recalled batches',
    needBatch: 'Enter a batch id.',
    needReason: 'Enter the reason for the recall.',
    needOperator: 'Enter an operator id.',
    assessment: 'Self-assessment',
    assessmentIntro: "The town's self-assessment against the county's evaluation indicators: each score, its evidence, the shortcomings. It opens in a new tab, to print or save as PDF; its link works for 15 minutes.",
    year: 'Year',
    openAssessment: 'Open the self-assessment',
    assessmentLinks: 'Links (valid until {time}):',
    assessmentPage: 'page',
    assessmentPdf: 'PDF',
    error: 'Error',
  },
};

const GRADES = ['A', 'B', 'C', 'D'];

function labels(table: Record<string, { zh: string; en: string }>, lang: Lang): Record<string, string> {
  return Object.fromEntries(Object.entries(table).map(([code, l]) => [code, l[lang]]));
}


/**
 * The desk shell; everything it shows is fetched by /static/regulator.js from POST /graphql with the signed-in token.
 * Times are shown, and picked days read, in the county's `timeZone`.
 */
export function renderRegulatorPage(lang: Lang, timeZone: string): string {
  const t = TEXT[lang];
  const texts = { ...t, chainOk: t.chainOk(0).replace('0', '{n}') };
  const rules = Object.values(CREDIT_RULES).map((r) => ({ code: r.code, text: lang === 'zh' ? r.zh : r.en }));
  const body = html`<main>
<h1>${t.title}</h1>
<noscript><p class="banner warn">${t.needsScript}</p></noscript>
${signInSection(t)}
<div id="desk" class="hidden">
<p class="status"><span id="who"></span> <a href="#" id="signout">${t.signOut}</a></p>

${renderDeskIncidents(lang, timeZone, utcOffset(timeZone))}

<section class="card" id="overview">
<h2>${t.overview}</h2>
<div class="scroll"><table><thead><tr><th>${t.gradeCol}</th><th>${t.operatorsCol}</th><th>${t.activeCol}</th></tr></thead><tbody id="grade-counts"></tbody></table></div>
<p class="fail" id="overview-error" role="alert"></p>
</section>

<section class="card" id="archive">
<h2>${t.archive}</h2>
<form id="archive-form" autocomplete="off" class="filters">
<div><label for="f-grade">${t.grade}</label><select id="f-grade" name="grade"><option value="">${t.any}</option>${GRADES.map((g) => html`<option value="${g}">${g}</option>`)}</select></div>
<div><label for="f-village">${t.village}</label><input id="f-village" name="village" type="text" maxlength="100"></div>
<div><label for="f-rule">${t.rule}</label><select id="f-rule" name="rule"><option value="">${t.any}</option>${rules.map((r) => html`<option value="${r.code}">${r.text}</option>`)}</select></div>
<div><label for="f-from">${t.from}</label><input id="f-from" name="from" type="date"></div>
<div><label for="f-to">${t.to}</label><input id="f-to" name="to" type="date"></div>
<div><button type="submit" id="archive-search">${t.search}</button></div>
</form>
<p class="sub" id="archive-info"></p>
<div class="scroll"><table class="stack"><thead><tr><th>${t.when}</th><th>${t.operator}</th><th>${t.rule}</th><th>${t.points}</th><th>${t.reason}</th></tr></thead><tbody id="archive-rows"></tbody></table></div>
<div class="row actions">
<button type="button" id="archive-next" class="secondary" disabled>${t.next}</button>
<button type="button" id="archive-csv" class="secondary">${t.csv}</button>
</div>
<p class="sub" id="csv-status" role="status"></p>
<p class="fail" id="archive-error" role="alert"></p>
</section>

<section class="card" id="plan">
<h2>${t.plan}</h2>
<form id="plan-form" autocomplete="off" class="row">
<div><label for="plan-month">${t.month}</label><input id="plan-month" name="month" type="month"></div>
<div><button type="submit" id="plan-show">${t.show}</button></div>
</form>
<div class="scroll"><table class="stack"><thead><tr><th>${t.operator}</th><th>${t.grade}</th><th>${t.score}</th><th>${t.lastInspected}</th><th>${t.perYear}</th></tr></thead><tbody id="plan-rows"></tbody></table></div>
<p class="sub" id="plan-info"></p>
<p class="fail" id="plan-error" role="alert"></p>
</section>

<section class="card" id="lookup">
<h2>${t.lookup}</h2>
<form id="lookup-form" autocomplete="off" class="row">
<div><label for="lookup-id">${t.operatorId}</label><input id="lookup-id" name="id" type="text" inputmode="numeric" maxlength="12"></div>
<div><button type="submit" id="lookup-button">${t.find}</button></div>
</form>
<p class="fail" id="lookup-error" role="alert"></p>
<div id="lookup-result" class="hidden">
<dl id="lookup-facts"></dl>
<p id="chain" class="chain"></p>
<h3>${t.events}</h3>
<div class="scroll"><table class="stack"><thead><tr><th>${t.when}</th><th>${t.rule}</th><th>${t.points}</th><th>${t.reason}</th></tr></thead><tbody id="lookup-events"></tbody></table></div>
</div>
</section>

<section class="card" id="trace">
<h2>${t.trace}</h2>
<form id="trace-form" autocomplete="off">
<label for="trace-batch">${t.batchId}</label>
<input id="trace-batch" name="batchId" type="text" inputmode="numeric" maxlength="12">
<div class="row">
<button type="button" id="trace-backward" class="secondary">${t.backward}</button>
<button type="button" id="trace-forward">${t.forward}</button>
</div>
</form>
<p class="fail" id="trace-error" role="alert"></p>
<div id="trace-result" class="hidden"><h3 id="trace-title"></h3><dl id="trace-summary"></dl></div>
<form id="recall-form" autocomplete="off">
<h3>${t.recall}</h3>
<label for="recall-reason">${t.recallReason}</label>
<input id="recall-reason" name="reason" type="text" maxlength="500">
<button type="submit" id="recall-button" class="danger">${t.recall}</button>
</form>
<div id="recall-confirm" class="banner warn hidden" role="alertdialog">
<p id="recall-ask"></p>
<div class="row"><button type="button" id="recall-cancel" class="secondary">${t.cancel}</button><button type="button" id="recall-yes" class="danger">${t.confirm}</button></div>
</div>
<p class="fail" id="recall-error" role="alert"></p>
<div id="recall-result" class="hidden"><h3 id="recall-title"></h3><dl id="recall-summary"></dl></div>
</section>

<section class="card" id="assessment" aria-labelledby="assessment-title">
<h2 id="assessment-title">${t.assessment}</h2>
<p class="sub">${t.assessmentIntro}</p>
<form id="assessment-form" autocomplete="off" class="row">
<div><label for="assessment-year">${t.year}</label><input id="assessment-year" name="year" type="text" inputmode="numeric" maxlength="4" pattern="[0-9]{4}"></div>
<div><button type="submit" id="assessment-open">${t.openAssessment}</button></div>
</form>
<p class="sub hidden" id="assessment-links"><span id="assessment-until"></span> <a id="assessment-page" target="_blank" rel="noopener">${t.assessmentPage}</a> · <a id="assessment-pdf" target="_blank" rel="noopener">${t.assessmentPdf}</a></p>
<p class="fail" id="assessment-error" role="alert"></p>
</section>
${deskChartSections(lang)}
</div>
</main>
${raw(jsonData('regulator-text', { lang, timeZone, utcOffset: utcOffset(timeZone), ...texts, kinds: labels(OPERATOR_KIND, lang), statuses: labels(OPERATOR_STATUS, lang), units: labels(UNIT, lang), rules }))}`;
  return layout({ lang, title: t.title, body, bodyClass: 'regulator', path: '/regulator', private: true, description: t.description, scripts: ['/static/regulator.js', '/static/desk-incidents.js'] });
}
