import { html, layout } from './html';
import { OPERATOR_KIND, OPERATOR_STATUS, formatDate, label, type Lang } from './i18n';
import type { OperatorCard } from '../credit/credit.model';
import { gradeBadge } from './trace.page';

const T = {
  zh: {
    title: '经营主体信用卡片',
    description: (name: string, grade: string) => `${name}的经营主体信用卡片：信用等级 ${grade}、登记信息和最近的检查。`,
    kind: '类型',
    regNo: '登记号',
    village: '村/地址',
    status: '经营状态',
    grade: '信用等级',
    violations: '近12个月违规记录',
    violationsCount: (n: number) => `${n} 次`,
    suspended: '该经营主体目前不得经营。',
    footer: '本页面由县食品安全追溯平台提供，仅显示公开信息。',
    notFoundTitle: '未找到该经营主体',
    notFoundBody: '没有找到与此登记卡二维码对应的经营主体。',
    inspections: '最近现场检查',
    noInspections: '暂无现场检查记录',
    PASS: '合格',
    PUT_RIGHT: '责令整改',
    SERIOUS: '严重问题',
  },
  en: {
    title: 'Operator credit card',
    description: (name: string, grade: string) => `The credit card of ${name}: credit grade ${grade}, registration and latest inspections.`,
    kind: 'Kind',
    regNo: 'Registration no.',
    village: 'Village / place',
    status: 'Status',
    grade: 'Credit grade',
    violations: 'Violations in the last 12 months',
    violationsCount: (n: number) => `${n}`,
    suspended: 'This operator may not trade at present.',
    footer: 'Provided by the county food-safety traceability platform. Public information only.',
    notFoundTitle: 'Operator not found',
    notFoundBody: 'No operator matches this registration-card QR code.',
    inspections: 'Latest on-site inspections',
    noInspections: 'No on-site inspection recorded yet',
    PASS: 'Pass',
    PUT_RIGHT: 'Put right',
    SERIOUS: 'Serious',
  },
} as const;

/** The public page a registration card's QR opens. */
export function renderOperatorPage(card: OperatorCard, lang: Lang, timeZone?: string): string {
  const t = T[lang];
  const body = html`<main>
${card.status !== 'ACTIVE' ? html`<div class="banner recalled" role="alert">${t.suspended}</div>` : ''}
<header class="card" id="operator">
<p class="sub">${t.title}</p>
<h1>${card.name}</h1>
<p>${t.grade}: ${gradeBadge(card.grade, lang)}</p>
</header>
<section class="card">
<dl>
<dt>${t.kind}</dt><dd>${label(OPERATOR_KIND, card.kind, lang)}</dd>
${card.registrationNumber ? html`<dt>${t.regNo}</dt><dd>${card.registrationNumber}</dd>` : ''}
${card.village ? html`<dt>${t.village}</dt><dd>${card.village}</dd>` : ''}
<dt>${t.status}</dt><dd>${label(OPERATOR_STATUS, card.status, lang)}</dd>
<dt>${t.violations}</dt><dd id="violations">${t.violationsCount(card.recentViolations)}</dd>
</dl>
</section>
<section class="card" id="inspections">
<h2>${t.inspections}</h2>
${card.latestInspections.length
    ? html`<ul>${card.latestInspections.map((i) => html`<li class="${i.outcome}"><span class="when">${formatDate(i.inspectedAt, lang, timeZone)}</span> · <strong>${t[i.outcome]}</strong></li>`)}</ul>`
    : html`<p class="sub">${t.noInspections}</p>`}
</section>
</main>
<footer>${t.footer}</footer>`;
  return layout({ lang, title: `${card.name} · ${t.title}`, description: t.description(card.name, card.grade), body, bodyClass: 'operator', path: `/o/${encodeURIComponent(card.publicCode)}` });
}

export function renderOperatorNotFound(lang: Lang, path: string): string {
  const t = T[lang];
  const body = html`<main class="notfound"><p class="big" aria-hidden="true">🔍</p><h1>${t.notFoundTitle}</h1><p>${t.notFoundBody}</p></main><footer>${t.footer}</footer>`;
  return layout({ lang, title: t.notFoundTitle, body, bodyClass: 'notfound', path });
}
