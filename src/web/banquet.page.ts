import type { BanquetModel } from '../banquet/banquet.model';
import { GUIDANCE_TIERS } from '../banquet/banquet.rules';
import { BanquetKind, Meal } from '../entities/enums';
import { html, layout, type SafeHtml } from './html';
import type { Lang } from './i18n';

const KIND: Record<BanquetKind, { zh: string; en: string }> = {
  WEDDING: { zh: '婚宴', en: 'Wedding' },
  FUNERAL: { zh: '丧宴', en: 'Funeral' },
  BIRTHDAY: { zh: '寿宴 / 生日宴', en: 'Birthday' },
  HOUSEWARMING: { zh: '乔迁宴', en: 'Housewarming' },
  STUDY_FAREWELL: { zh: '升学宴', en: 'Study farewell' },
  OTHER: { zh: '其他', en: 'Other' },
};
const MEAL: Record<Meal, { zh: string; en: string }> = {
  BREAKFAST: { zh: '早餐', en: 'Breakfast' }, LUNCH: { zh: '午餐', en: 'Lunch' }, DINNER: { zh: '晚餐', en: 'Dinner' },
};

const TEXT = {
  zh: {
    title: '农村集体聚餐备案', intro: '请在宴席前填写。主办人联系方式仅供村协管员和乡镇食安办使用，不会公开。',
    host: '主办人姓名', phone: '联系电话', village: '村', kind: '宴席类型', heldOn: '日期', meal: '餐次', guests: '就餐人数', tables: '桌数（可不填）',
    venue: '举办地点', menu: '菜单', chefs: '厨师（每行一位：姓名，可加乡村厨师登记卡号，用逗号分隔）',
    ingredients: '购买的食材（每行一项：名称，可加扫描的追溯码，用逗号分隔）', scanHint: '可用手机相机扫描食材包装上的二维码，把得到的链接粘贴在名称后面。',
    submit: '提交备案', filed: '备案成功', number: '备案编号', keepNumber: '请记下备案编号，村协管员会与您联系。', tier: '指导方式',
    warnings: '请立即注意', noWarnings: '未发现问题食材。', fix: '请修改后重新提交：', again: '再备案一场',
  },
  en: {
    title: 'Village banquet filing', intro: 'Please file before the banquet. The host contact is seen only by the village assistant and the town food-safety office.',
    host: 'Host name', phone: 'Phone', village: 'Village', kind: 'Kind', heldOn: 'Date', meal: 'Meal', guests: 'Guests', tables: 'Tables (optional)',
    venue: 'Venue', menu: 'Menu', chefs: "Chefs (one a line: name, optionally a comma and the rural chef's card number)",
    ingredients: 'Ingredients bought (one a line: name, optionally a comma and the scanned trace code)',
    scanHint: "Scan the QR code on an ingredient's package with the phone camera and paste the link after its name.",
    submit: 'File', filed: 'Filed', number: 'Filing number', keepNumber: 'Keep this number; the village assistant will contact you.', tier: 'Guidance',
    warnings: 'Attention now', noWarnings: 'No problem ingredient found.', fix: 'Please correct and send again:', again: 'File another banquet',
  },
};

export type BanquetForm = Record<string, string>;

function options<T extends string>(labels: Record<T, { zh: string; en: string }>, lang: Lang, chosen: string | undefined): SafeHtml[] {
  return (Object.keys(labels) as T[]).map((k) => html`<option value="${k}"${chosen === k ? html` selected` : ''}>${labels[k][lang]}</option>`);
}

/** The phone-first filing form; a failed attempt shows its error and keeps what was typed. */
export function renderBanquetForm(lang: Lang, values: BanquetForm = {}, error: string | null = null): string {
  const t = TEXT[lang];
  const field = (name: string, label: string, type = 'text', extra = '') =>
    html`<label for="${name}">${label}</label><input id="${name}" name="${name}" type="${type}" value="${values[name] ?? ''}"${extra ? html` ${extra}` : ''}>`;
  const body = html`<main class="banquet">
<h1>${t.title}</h1>
<p>${t.intro}</p>
${error ? html`<p class="fail" role="alert">${t.fix} ${error}</p>` : ''}
<form method="post" action="/banquet?lang=${lang}" class="card">
${field('hostName', t.host)}
${field('hostPhone', t.phone, 'tel')}
${field('village', t.village)}
<label for="kind">${t.kind}</label><select id="kind" name="kind">${options(KIND, lang, values.kind)}</select>
${field('heldOn', t.heldOn, 'date')}
<label for="meal">${t.meal}</label><select id="meal" name="meal">${options(MEAL, lang, values.meal ?? 'LUNCH')}</select>
${field('guests', t.guests, 'number')}
${field('tablesCount', t.tables, 'number')}
${field('venue', t.venue)}
<label for="menu">${t.menu}</label><textarea id="menu" name="menu" rows="3">${values.menu ?? ''}</textarea>
<label for="chefs">${t.chefs}</label><textarea id="chefs" name="chefs" rows="2">${values.chefs ?? ''}</textarea>
<label for="ingredients">${t.ingredients}</label><textarea id="ingredients" name="ingredients" rows="5">${values.ingredients ?? ''}</textarea>
<p class="hint">${t.scanHint}</p>
<button type="submit">${t.submit}</button>
</form>
</main>`;
  return layout({ lang, title: t.title, body, path: '/banquet', bodyClass: 'banquet' });
}

/** The receipt after filing: the number, who guides, and every warning at once. No host contact is shown. */
export function renderBanquetFiled(lang: Lang, b: BanquetModel): string {
  const t = TEXT[lang];
  const tier = GUIDANCE_TIERS.find((x) => x.tier === b.tier)!;
  const body = html`<main class="banquet">
<h1>${t.filed}</h1>
<p>${t.number}: <strong id="banquet-number">${b.number}</strong></p>
<p>${t.keepNumber}</p>
<p>${t.tier}: <span id="banquet-tier">${tier[lang]}</span></p>
${b.warnings.length
    ? html`<section class="card warn" id="banquet-warnings"><h2>${t.warnings}</h2><ul>${b.warnings.map((w) => html`<li data-code="${w.code}">${w.subject}: ${w[lang]}</li>`)}</ul></section>`
    : html`<p id="banquet-ok">${t.noWarnings}</p>`}
<p><a href="/banquet?lang=${lang}">${t.again}</a></p>
</main>`;
  return layout({ lang, title: t.filed, body, bodyClass: 'banquet' });
}
