import type { MarketTestBoardModel } from '../gate/gate.model';
import { html, layout } from './html';
import { localDayStart } from '../local-time';
import { INSPECTION_KIND, TEST_RESULT, formatDate, formatQuantity, formatTime, label, type Lang } from './i18n';

const T = {
  zh: {
    title: '快检结果公示',
    date: '日期',
    summary: (n: number, pass: number, fail: number) => `共检测 ${n} 批次，合格 ${pass}，不合格 ${fail}`,
    none: '今日暂无检测记录。',
    time: '时间',
    product: '品名',
    vendor: '商户',
    items: '检测项目',
    result: '结果',
    footer: '根据食用农产品市场销售质量安全监督管理要求公示。',
    refusals: '不合格及拒收处理情况',
    noRefusals: '当日无拒收批次。',
    reasons: '原因',
    quantity: '数量',
    handling: '处理情况',
    RETURNED: '拒绝入场，退回',
    HELD_NON_CONFORMANT: '检测不合格，批次已标记，禁止销售',
    complaint: '投诉举报电话',
    notFoundTitle: '未找到该市场',
    notFoundBody: '没有找到这个市场的公示栏。',
    badDate: '日期格式应为 YYYY-MM-DD。',
  },
  en: {
    title: 'Rapid test results',
    date: 'Date',
    summary: (n: number, pass: number, fail: number) => `${n} lots tested: ${pass} passed, ${fail} failed`,
    none: 'No tests recorded today yet.',
    time: 'Time',
    product: 'Product',
    vendor: 'Vendor',
    items: 'Items tested',
    result: 'Result',
    footer: 'Published as market food-safety rules require.',
    refusals: 'Refused loads and how they were dealt with',
    noRefusals: 'No load was refused that day.',
    reasons: 'Reasons',
    quantity: 'Quantity',
    handling: 'Dealt with',
    RETURNED: 'Refused entry and turned back',
    HELD_NON_CONFORMANT: 'Failed a test: the lot is marked and may not be sold',
    complaint: 'Complaints telephone',
    notFoundTitle: 'Market not found',
    notFoundBody: 'There is no test board for this market.',
    badDate: 'The date must be written YYYY-MM-DD.',
  },
} as const;

function itemText(item: { item?: unknown; value?: unknown; unit?: unknown }): string {
  const name = typeof item.item === 'string' ? item.item : '';
  if (item.value === null || item.value === undefined) return name;
  return `${name} ${String(item.value)}${typeof item.unit === 'string' ? item.unit : ''}`;
}

/**
 * The public board of one market day, as markets must display it, times in the county's time zone; refreshes itself
 * on a screen. Refused loads show what, how much, why and how they were dealt with, never whose (SECURITY.md).
 */
export function renderBoardPage(board: MarketTestBoardModel, lang: Lang, path: string, dateGiven: boolean, timeZone: string): string {
  const t = T[lang];
  const pass = board.tests.filter((x) => x.result === 'PASS').length;
  const fail = board.tests.length - pass;
  // the board's date is a calendar day, not an instant: noon UTC falls on that day in every zone within 11 hours of UTC
  const body = html`<main>
<header class="card">
<p class="sub">${t.title}</p>
<h1>${board.marketName}</h1>
<p>${t.date}: <strong id="board-date">${formatDate(localDayStart(board.date, timeZone), lang, timeZone)}</strong></p>
<p id="board-summary">${t.summary(board.tests.length, pass, fail)}</p>
</header>
<section class="card">
${board.tests.length
    ? html`<table id="board"><thead><tr><th>${t.time}</th><th>${t.product}</th><th>${t.vendor}</th><th>${t.items}</th><th>${t.result}</th></tr></thead><tbody>${board.tests.map(
        (x) => html`<tr><td>${formatTime(x.inspectedAt, lang, timeZone)}</td><td><a href="/t/${encodeURIComponent(x.batchPublicCode)}${lang === 'en' ? '?lang=en' : ''}">${x.productName}</a></td><td>${x.vendorName}</td><td>${label(INSPECTION_KIND, x.kind, lang)}: ${x.items.map(itemText).join(lang === 'zh' ? '、' : ', ')}</td><td class="${x.result === 'PASS' ? 'pass' : 'fail'}">${label(TEST_RESULT, x.result, lang)}</td></tr>`,
      )}</tbody></table>`
    : html`<p>${t.none}</p>`}
</section>
<section class="card">
<h2>${t.refusals}</h2>
${board.refusals.length
    ? html`<table id="refusals"><thead><tr><th>${t.time}</th><th>${t.product}</th><th>${t.quantity}</th><th>${t.reasons}</th><th>${t.handling}</th></tr></thead><tbody>${board.refusals.map(
        (r) => html`<tr><td>${formatTime(r.decidedAt, lang, timeZone)}</td><td>${r.productName ?? '—'}</td><td>${formatQuantity(r.declaredQuantity, r.unit, lang)}</td><td>${r.reasons.map((x) => x[lang]).join(lang === 'zh' ? '；' : '; ')}</td><td class="fail">${t[r.handling]}</td></tr>`,
      )}</tbody></table>`
    : html`<p>${t.noRefusals}</p>`}
</section>
<section class="card"><p id="complaint">${t.complaint}: <strong>${board.complaintPhone}</strong></p></section>
</main>
<footer>${t.footer}</footer>`;
  return layout({
    lang, title: `${board.marketName} · ${t.title}`, body, bodyClass: 'board', path,
    keepQuery: dateGiven ? { date: board.date } : undefined,
    refreshSeconds: dateGiven ? undefined : 60,
  });
}

export function renderBoardNotFound(lang: Lang, path: string): string {
  const t = T[lang];
  return layout({ lang, title: t.notFoundTitle, body: html`<main class="notfound"><h1>${t.notFoundTitle}</h1><p>${t.notFoundBody}</p></main>`, path });
}

export function renderBoardBadDate(lang: Lang, path: string): string {
  const t = T[lang];
  return layout({ lang, title: t.title, body: html`<main class="notfound"><h1>${t.title}</h1><p>${t.badDate}</p></main>`, path });
}
