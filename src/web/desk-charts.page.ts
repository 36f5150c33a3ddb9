import { INDICATORS } from '../assessment/indicators';
import { CREDIT_RULES } from '../credit/rules';
import { html, jsonData, raw, type SafeHtml } from './html';
import { OPERATOR_KIND, TEST_RESULT, UNIT, type Lang } from './i18n';

/** Texts of the desk's charts and forward-impact graph; shipped as data, read by desk-charts.js and forward-graph.js. */
const TEXT = {
  zh: {
    charts: '统计图表',
    chartsIntro: '每张图下方都有同样数字的数据表，可展开查看。',
    loading: '图表加载中…',
    showTable: '显示数据表',
    hideTable: '隐藏数据表',
    none: '—',
    error: '出错',
    titles: {
      grades: '各信用等级经营主体数（每月末）',
      creditRules: '信用记录按规则统计（近 12 个月）',
      gateDecisions: '各市场每日入场查验结果',
      testPassRate: '检测合格率（每月）',
      incidents: '每月报告的食品安全事件',
      villageScorecards: '各村考核得分（{year} 年，满分 100）',
    },
    columns: {
      month: '月份', day: '日期', rule: '规则', events: '记录数', passRate: '合格率 %', PASS: '合格', FAIL: '不合格', incidents: '事件', drills: '演练',
      village: '村', total: '总分',
    },
    villageDetail: '查看一个村的各项得分',
    village: '村',
    pickVillage: '请选择',
    notApplicable: '不适用',
    scoreOf: '{score} / {weight} 分',
    decisions: { ACCEPTED: '准入', TEST_REQUIRED: '需快检', REJECTED: '拒绝' },
    impact: '向下影响图',
    impactIntro: '输入批次编号或标签上的追溯码，查看该批次流向了谁、到了哪些市场。用方向键在批次间移动，回车查看详情或展开。',
    lot: '批次编号或追溯码',
    show: '显示影响图',
    zoomIn: '放大',
    zoomOut: '缩小',
    zoomReset: '原始大小',
    graphLabel: '向下影响图：拖动或滚动可平移',
    more: '另有 {n} 个批次，回车展开',
    moreShort: '另有 {n} 个批次',
    details: '批次详情',
    owner: '持有者',
    product: '产品',
    quantity: '数量',
    remaining: '现存',
    status: '状态',
    entries: '入场记录',
    tests: '检测',
    noEntries: '无',
    summary: '共 {total} 个批次，图中显示 {shown} 个',
    truncated: '结果已按上限截断',
    statuses: { ACTIVE: '正常', CONSUMED: '已用完', RECALLED: '已召回' },
    needLot: '请填写批次编号或追溯码。',
  },
  en: {
    charts: 'Charts',
    chartsIntro: 'Each chart has a table of the same numbers below it.',
    loading: 'Loading charts…',
    showTable: 'Show table',
    hideTable: 'Hide table',
    none: '—',
    error: 'Error',
    titles: {
      grades: 'Operators per credit grade (month end)',
      creditRules: 'Credit events by rule (last 12 months)',
      gateDecisions: 'Gate decisions per market per day',
      testPassRate: 'Test pass rate (per month)',
      incidents: 'Food-safety incidents reported per month',
      villageScorecards: 'Village scorecards ({year}, out of 100)',
    },
    columns: {
      month: 'Month', day: 'Day', rule: 'Rule', events: 'Events', passRate: 'Pass rate %', PASS: 'Pass', FAIL: 'Fail', incidents: 'Incidents', drills: 'Drills',
      village: 'Village', total: 'Total',
    },
    villageDetail: "One village's score on each indicator",
    village: 'Village',
    pickVillage: 'Choose',
    notApplicable: 'n/a',
    scoreOf: '{score} of {weight}',
    decisions: { ACCEPTED: 'Accepted', TEST_REQUIRED: 'Test required', REJECTED: 'Rejected' },
    impact: 'Forward impact graph',
    impactIntro: 'Enter a batch id or the code on a label to see who received the lot and where it went. Arrow keys move between lots; Enter shows details or expands.',
    lot: 'Batch id or trace code',
    show: 'Show graph',
    zoomIn: 'Zoom in',
    zoomOut: 'Zoom out',
    zoomReset: 'Actual size',
    graphLabel: 'Forward impact graph: drag or scroll to pan',
    more: '{n} more lots, press Enter to expand',
    moreShort: '+{n} more lots',
    details: 'Lot details',
    owner: 'Held by',
    product: 'Product',
    quantity: 'Quantity',
    remaining: 'On hand',
    status: 'Status',
    entries: 'Gate entries',
    tests: 'Tests',
    noEntries: 'none',
    summary: '{total} lots in all, {shown} shown',
    truncated: 'Cut at the bounds',
    statuses: { ACTIVE: 'Active', CONSUMED: 'Used up', RECALLED: 'Recalled' },
    needLot: 'Enter a batch id or trace code.',
  },
};

const labels = (table: Record<string, { zh: string; en: string }>, lang: Lang) => Object.fromEntries(Object.entries(table).map(([k, l]) => [k, l[lang]]));

/**
 * The desk's charts card and forward-impact card, shown once a regulator has signed in; desk-charts.js draws the
 * charts (Chart.js, loaded when the card comes into view) and forward-graph.js the graph.
 */
export function deskChartSections(lang: Lang): SafeHtml {
  const t = TEXT[lang];
  const rules = Object.fromEntries(Object.values(CREDIT_RULES).map((r) => [r.code, lang === 'zh' ? r.zh : r.en]));
  const indicators = Object.fromEntries(INDICATORS.map((i) => [i.code, { name: lang === 'zh' ? i.zh : i.en, weight: i.weight }]));
  return html`<section class="card" id="charts" aria-labelledby="charts-title">
<h2 id="charts-title">${t.charts}</h2>
<p class="sub">${t.chartsIntro}</p>
<p class="sub" id="charts-status" role="status">${t.loading}</p>
<div id="chart-list"></div>
<p class="fail" id="charts-error" role="alert"></p>
</section>

<section class="card" id="impact" aria-labelledby="impact-title">
<h2 id="impact-title">${t.impact}</h2>
<p class="sub" id="impact-intro">${t.impactIntro}</p>
<form id="impact-form" autocomplete="off" class="row">
<div><label for="impact-lot">${t.lot}</label><input id="impact-lot" name="lot" type="text" maxlength="64" spellcheck="false"></div>
<div><button type="submit" id="impact-show">${t.show}</button></div>
</form>
<p class="fail" id="impact-error" role="alert"></p>
<div id="impact-view" class="hidden">
<p class="sub" id="impact-summary" role="status"></p>
<div class="row zoom"><button type="button" class="secondary" id="impact-zoom-out">${t.zoomOut}</button><button type="button" class="secondary" id="impact-zoom-reset">${t.zoomReset}</button><button type="button" class="secondary" id="impact-zoom-in">${t.zoomIn}</button></div>
<div class="diagram graph" id="impact-graph" tabindex="0" role="group" aria-label="${t.graphLabel}" aria-describedby="impact-intro"></div>
<section id="impact-details" class="hidden" aria-live="polite" aria-labelledby="impact-details-title"><h3 id="impact-details-title">${t.details}</h3><dl id="impact-facts"></dl></section>
</div>
</section>
${raw(jsonData('desk-charts-text', { lang, ...t, rules, indicators, kinds: labels(OPERATOR_KIND, lang), results: labels(TEST_RESULT, lang), units: labels(UNIT, lang) }))}`;
}
