import { Meal, QuantityUnit } from '../entities/enums';
import { html, jsonData, layout, raw, signInSection } from './html';
import { UNIT, label, type Lang } from './i18n';

/** Texts the canteen script shows; shipped in the page as data, never as script. */
const TEXT = {
  zh: {
    title: '食堂进货查验', signInTitle: '食堂人员登录', token: '登录令牌', signIn: '登录', signOut: '退出', signedInAs: '当前账号',
    notCanteen: '此令牌不是食堂账号。', badToken: '令牌无效或已停用。', needsScript: '此页面需要启用 JavaScript。',
    receive: '进货查验', code: '追溯码（扫码或输入）', quantity: '数量', unit: '单位', check: '查验',
    GREEN: '可以收货', AMBER: '收货，须补查', RED: '拒收', needCode: '请扫码或输入追溯码。', needQuantity: '请填写数量。',
    samples: '留样记录', dish: '菜品', meal: '餐次', grams: '留样量 (g)', keptBy: '留样人', keep: '记录留样', sampleRule: '每餐每样菜品不少于 125 g，冷藏保存 48 小时以上。',
    discardAfter: '可于此时间后处理', ledger: '进货台账', month: '月份', download: '下载 CSV',
    meals: { BREAKFAST: '早餐', LUNCH: '午餐', DINNER: '晚餐' },
  },
  en: {
    title: 'Canteen receiving check', signInTitle: 'Canteen sign-in', token: 'Access token', signIn: 'Sign in', signOut: 'Sign out', signedInAs: 'Signed in as',
    notCanteen: 'This token is not a canteen account.', badToken: 'The token is unknown or revoked.', needsScript: 'This page needs JavaScript.',
    receive: 'Receiving check', code: 'Trace code (scan or type)', quantity: 'Quantity', unit: 'Unit', check: 'Check',
    GREEN: 'Receive', AMBER: 'Receive, follow up', RED: 'Refuse', needCode: 'Scan or type a trace code.', needQuantity: 'Enter the quantity.',
    samples: 'Retained samples', dish: 'Dish', meal: 'Meal', grams: 'Amount (g)', keptBy: 'Kept by', keep: 'Record sample',
    sampleRule: 'Every dish of every meal, at least 125 g, refrigerated for at least 48 hours.',
    discardAfter: 'May be discarded after', ledger: 'Receiving ledger', month: 'Month', download: 'Download CSV',
    meals: { BREAKFAST: 'Breakfast', LUNCH: 'Lunch', DINNER: 'Dinner' },
  },
};

/** The canteen staff's page: receiving check (green, amber, red with reasons), samples kept, the month's ledger. */
export function renderCanteenPage(lang: Lang, timeZone: string): string {
  const t = TEXT[lang];
  const units = Object.values(QuantityUnit).map((u) => html`<option value="${u}">${label(UNIT, u, lang)}</option>`);
  const meals = Object.values(Meal).map((m) => html`<option value="${m}">${t.meals[m]}</option>`);
  const body = html`<main class="canteen">
<h1>${t.title}</h1>
<noscript><p class="fail">${t.needsScript}</p></noscript>
${signInSection(t)}
<div id="canteen-app" class="hidden">
<p class="who"><span id="who"></span> <button type="button" id="signout">${t.signOut}</button></p>
<section class="card"><h2>${t.receive}</h2>
<form id="receive-form" autocomplete="off">
<label for="code">${t.code}</label><input id="code" name="code" inputmode="url" spellcheck="false">
<label for="quantity">${t.quantity}</label><input id="quantity" name="quantity" type="number" step="0.001" min="0">
<label for="unit">${t.unit}</label><select id="unit" name="unit">${units}</select>
<button type="submit">${t.check}</button>
</form>
<div id="receive-result" role="status" aria-live="polite"></div>
</section>
<section class="card"><h2>${t.samples}</h2>
<p class="hint">${t.sampleRule}</p>
<form id="sample-form" autocomplete="off">
<label for="dish">${t.dish}</label><input id="dish" name="dish">
<label for="meal">${t.meal}</label><select id="meal" name="meal">${meals}</select>
<label for="grams">${t.grams}</label><input id="grams" name="grams" type="number" min="125" value="125">
<label for="keptBy">${t.keptBy}</label><input id="keptBy" name="keptBy">
<button type="submit">${t.keep}</button>
</form>
<ul id="samples"></ul>
</section>
<section class="card"><h2>${t.ledger}</h2>
<label for="month">${t.month}</label><input id="month" type="month">
<button type="button" id="download">${t.download}</button>
</section>
</div>
${raw(jsonData('canteen-text', { ...t, lang, timeZone }))}
</main>`;
  return layout({ lang, title: t.title, body, path: '/canteen', bodyClass: 'canteen', private: true, scripts: ['/static/canteen.js'] });
}
