import { utcOffset } from '../local-time';
import { html, jsonData, layout, raw, signInSection } from './html';
import { OPERATOR_KIND, UNIT, type Lang } from './i18n';

/** Texts the notice script shows; shipped in the page as data, never as script. */
const TEXT = {
  zh: {
    title: '召回通知',
    signInTitle: '登录查看召回通知',
    token: '登录令牌',
    signIn: '登录',
    signOut: '退出',
    needsScript: '此页面需要启用 JavaScript。',
    recall: '召回',
    product: '产品',
    lot: '批次号',
    reason: '召回原因',
    recalledAt: '召回时间',
    state: '状态',
    open: '处理中',
    closed: '已结束',
    summary: '结案说明',
    effectiveness: '召回完成率（全部受影响数量中已处置的比例）',
    yourHoldings: '您持有的受影响产品',
    marketHoldings: '本市场经营户持有的受影响产品',
    none: '您没有持有该召回的产品。',
    holder: '持有者',
    unit: '单位',
    batches: '批次数',
    held: '持有数量',
    returned: '已退回',
    destroyed: '已销毁',
    sold: '已售出',
    accounted: '已处置合计',
    note: '说明（选填）',
    record: '登记处置',
    recorded: '已登记',
    notAnswered: '尚未登记',
    lastRecorded: '最近登记',
    needAmount: '请至少填写一项数量。',
    error: '出错',
  },
  en: {
    title: 'Recall notice',
    signInTitle: 'Sign in to read the recall notice',
    token: 'Access token',
    signIn: 'Sign in',
    signOut: 'Sign out',
    needsScript: 'This page needs JavaScript.',
    recall: 'Recall',
    product: 'Product',
    lot: 'Lot',
    reason: 'Reason for the recall',
    recalledAt: 'Recalled at',
    state: 'State',
    open: 'open',
    closed: 'closed',
    summary: 'Closing summary',
    effectiveness: 'Effectiveness (share of the affected quantity accounted for)',
    yourHoldings: 'What you hold of it',
    marketHoldings: "What your market's vendors hold of it",
    none: 'You hold nothing of this recall.',
    holder: 'Holder',
    unit: 'Unit',
    batches: 'Batches',
    held: 'Held',
    returned: 'Returned',
    destroyed: 'Destroyed',
    sold: 'Already sold',
    accounted: 'Accounted for',
    note: 'Note (optional)',
    record: 'Record disposition',
    recorded: 'Recorded',
    notAnswered: 'not yet answered',
    lastRecorded: 'Last recorded',
    needAmount: 'Give at least one quantity.',
    error: 'Error',
  },
};

const labels = (table: Record<string, { zh: string; en: string }>, lang: Lang) => Object.fromEntries(Object.entries(table).map(([k, l]) => [k, l[lang]]));

/**
 * The notice a recall sends to the operators, markets and canteens it reached: what the recall is, what the signed-in
 * account holds of it, and a form per holding to record its disposition (returned, destroyed, already sold). The data
 * comes from `recall(id)` and `recordRecallDisposition` under the signed-in token (/static/recall-notice.js).
 */
export function renderRecallNoticePage(lang: Lang, recallId: number, timeZone: string): string {
  const t = TEXT[lang];
  const body = html`<main>
<h1>${t.title} #${recallId}</h1>
<noscript><p class="banner warn">${t.needsScript}</p></noscript>
${signInSection(t)}
<div id="notice" class="hidden">
<p class="status"><span id="who"></span> <a href="#" id="signout">${t.signOut}</a></p>
<section class="card warn" id="recall" aria-labelledby="recall-title">
<h2 id="recall-title"></h2>
<dl id="recall-facts"></dl>
<p><strong>${t.effectiveness}:</strong> <span id="effectiveness" role="status"></span></p>
</section>
<section class="card" id="holdings" aria-labelledby="holdings-title">
<h2 id="holdings-title"></h2>
<p class="sub" id="holdings-none"></p>
<div id="holding-list"></div>
</section>
<p class="fail" id="notice-error" role="alert"></p>
</div>
</main>
${raw(jsonData('recall-notice-text', { lang, recallId, timeZone, utcOffset: utcOffset(timeZone), ...t, kinds: labels(OPERATOR_KIND, lang), units: labels(UNIT, lang) }))}`;
  return layout({
    lang, title: `${t.title} #${recallId}`, body, bodyClass: 'recall-notice', path: `/recall/${recallId}`, private: true, scripts: ['/static/recall-notice.js'],
    description: lang === 'zh'
      ? '召回通知：被召回的批次、原因、您持有的数量，以及退回、销毁或已售出的处置登记。'
      : 'A recall notice: what was recalled and why, what you hold of it, and where you record what was returned, destroyed or already sold.',
  });
}
