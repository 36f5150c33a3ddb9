import { IncidentKind } from '../entities/enums';
import { html, layout } from './html';
import type { Lang } from './i18n';

/** Kinds the public may report. */
export const PUBLIC_KINDS = [IncidentKind.COMPLAINT, IncidentKind.FOOD_POISONING, IncidentKind.HAZARD, IncidentKind.OTHER] as const;

const T = {
  zh: {
    title: '食品安全投诉举报',
    intro: '发现食品安全问题、有人吃了东西后不适，请在此告诉我们。可以匿名；如愿意留下联系方式，仅食品安全办公室可见。',
    kind: '类型',
    kinds: { COMPLAINT: '投诉', FOOD_POISONING: '疑似食物中毒', HAZARD: '食品安全隐患', OTHER: '其他' } as Record<string, string>,
    occurredAt: '发生时间',
    village: '村（社区）',
    placeRef: '地点或商户（如店名、食堂、宴席）',
    peopleIll: '不适人数',
    description: '情况说明',
    suspectCode: '可疑产品追溯码（选填，见标签二维码 /t/ 后的编码）',
    contact: '联系方式（选填，仅办公室可见）',
    send: '提交',
    thanksTitle: '已收到，谢谢！',
    thanks: (id: number) => `您的举报编号为 ${id}。食品安全办公室会尽快处理。`,
    again: '再提交一条',
    error: '请检查：',
  },
  en: {
    title: 'Report a food-safety problem',
    intro: 'Tell us about a food-safety problem or people who fell ill after eating. You may stay anonymous; a contact you leave is seen only by the food-safety office.',
    kind: 'Kind',
    kinds: { COMPLAINT: 'Complaint', FOOD_POISONING: 'Suspected food poisoning', HAZARD: 'Food-safety hazard', OTHER: 'Other' } as Record<string, string>,
    occurredAt: 'When it happened',
    village: 'Village',
    placeRef: 'Place or business (shop, canteen, banquet)',
    peopleIll: 'People ill',
    description: 'What happened',
    suspectCode: 'Trace code of a suspect product (optional: the code after /t/ on the label QR)',
    contact: 'Contact (optional; seen only by the office)',
    send: 'Send',
    thanksTitle: 'Received — thank you!',
    thanks: (id: number) => `Your report number is ${id}. The food-safety office will look into it.`,
    again: 'Send another',
    error: 'Please check:',
  },
} as const;

export interface ReportFormValues {
  kind?: string;
  occurredAt?: string;
  village?: string;
  placeRef?: string;
  peopleIll?: string;
  description?: string;
  suspectCode?: string;
  contact?: string;
}

/** The public complaint form; with `error` it shows what to fix and keeps what was typed. */
export function renderReportPage(lang: Lang, values: ReportFormValues = {}, error: string | null = null): string {
  const t = T[lang];
  const v = (k: keyof ReportFormValues) => values[k] ?? '';
  return layout({
    lang,
    title: t.title,
    path: '/report',
    bodyClass: 'report',
    body: html`<main>
<h1>${t.title}</h1>
<p class="sub">${t.intro}</p>
${error ? html`<p class="banner warn" role="alert" id="report-error">${t.error} ${error}</p>` : ''}
<form class="card" method="post" action="/report?lang=${lang}" id="report-form">
<label for="kind">${t.kind}</label>
<select id="kind" name="kind">${PUBLIC_KINDS.map((k) => html`<option value="${k}"${v('kind') === k ? html` selected` : ''}>${t.kinds[k]}</option>`)}</select>
<label for="occurredAt">${t.occurredAt}</label>
<input id="occurredAt" name="occurredAt" type="datetime-local" required value="${v('occurredAt')}">
<label for="village">${t.village}</label>
<input id="village" name="village" maxlength="200" required value="${v('village')}">
<label for="placeRef">${t.placeRef}</label>
<input id="placeRef" name="placeRef" maxlength="200" value="${v('placeRef')}">
<label for="peopleIll">${t.peopleIll}</label>
<input id="peopleIll" name="peopleIll" type="number" min="0" max="100000" value="${v('peopleIll') || '0'}">
<label for="description">${t.description}</label>
<textarea id="description" name="description" maxlength="4000" rows="5" required>${v('description')}</textarea>
<label for="suspectCode">${t.suspectCode}</label>
<input id="suspectCode" name="suspectCode" maxlength="200" value="${v('suspectCode')}">
<label for="contact">${t.contact}</label>
<input id="contact" name="contact" maxlength="200" autocomplete="tel" value="${v('contact')}">
<button type="submit" id="report-send">${t.send}</button>
</form>
</main>`,
  });
}

export function renderReportThanks(lang: Lang, id: number): string {
  const t = T[lang];
  return layout({
    lang,
    title: t.thanksTitle,
    path: '/report',
    bodyClass: 'report',
    body: html`<main>
<h1 id="report-thanks">${t.thanksTitle}</h1>
<p class="card" id="report-number">${t.thanks(id)}</p>
<p><a href="/report?lang=${lang}">${t.again}</a></p>
</main>`,
  });
}
