import type { IndicatorScoreModel, ScorecardModel } from '../assessment/assessment.model';
import { INDICATORS_SOURCE } from '../assessment/indicators';
import { percent, REPORT_TEXT, shortcomingsOf } from '../assessment/report-text';
import { localDate } from '../local-time';
import { html, layout } from './html';
import type { Lang } from './i18n';

const PAGE_TEXT = { zh: { pdf: '下载 PDF' }, en: { pdf: 'Download PDF' } } as const;

function row(s: IndicatorScoreModel, lang: Lang) {
  const t = REPORT_TEXT[lang];
  return html`<tr class="${s.met === false ? 'short' : ''}">
<th scope="row">${lang === 'zh' ? s.zh : s.en}<span class="formula">${lang === 'zh' ? s.formulaZh : s.formulaEn}</span></th>
<td class="num">${s.numerator} / ${s.denominator}</td>
<td class="num">${percent(s.value)}</td>
<td class="num">${percent(s.target)}</td>
<td class="num">${s.score ?? t.notApplicable} / ${s.weight}</td>
<td>${s.met === null ? t.notApplicable : s.met ? t.yes : html`<span class="short-mark">${t.no}</span>`}</td>
</tr>`;
}

/**
 * The year's self-assessment: the town's total, every indicator with its evidence counts, the shortcomings, each
 * village's total. Opened by a link's `key`, its own links (the PDF, the other language) carry the key along.
 */
export function renderAssessmentPage(report: { town: ScorecardModel; villages: ScorecardModel[] }, lang: Lang, timeZone: string, path: string, key?: string): string {
  const t = REPORT_TEXT[lang];
  const p = PAGE_TEXT[lang];
  const { town } = report;
  const short = shortcomingsOf(town);
  const body = html`<main class="assessment">
<h1>${t.title(town.year)}</h1>
<p class="lead">${t.asOf} ${localDate(town.asOf, timeZone)}</p>
<p class="total">${t.total}: <span id="total">${town.total ?? t.notApplicable}</span> / 100</p>
<p class="actions"><a href="${`/assessment/${town.year}.pdf?${new URLSearchParams({ lang, ...(key ? { key } : {}) })}`}">${p.pdf}</a></p>
<table id="indicators">
<caption>${t.indicator}</caption>
<thead><tr><th scope="col">${t.indicator} · ${t.formula}</th><th scope="col">${t.counts}</th><th scope="col">${t.value}</th><th scope="col">${t.target}</th><th scope="col">${t.score}</th><th scope="col">${t.met}</th></tr></thead>
<tbody>${town.indicators.map((s) => row(s, lang))}</tbody>
</table>
<section aria-labelledby="shortcomings"><h2 id="shortcomings">${t.shortcomings}</h2>
${short.length ? html`<ul id="shortcoming-list">${short.map((s) => html`<li>${t.shortfall(s)}</li>`)}</ul>` : html`<p>${t.none}</p>`}
</section>
${report.villages.length ? html`<table id="villages"><caption>${t.villages}</caption>
<thead><tr><th scope="col">${t.village}</th><th scope="col">${t.total}</th></tr></thead>
<tbody>${report.villages.map((v) => html`<tr><th scope="row">${v.village}</th><td class="num">${v.total ?? t.notApplicable}</td></tr>`)}</tbody></table>` : ''}
<p class="source">${t.source}: ${INDICATORS_SOURCE}</p>
</main>`;
  return layout({
    lang, title: t.title(town.year), body, path, keepQuery: key ? { key } : undefined, private: true, stylesheets: ['/static/assessment.css'],
    description: lang === 'zh'
      ? `${town.year} 年食品安全示范创建自评报告：每项评价指标的得分、依据和不足。`
      : `The ${town.year} self-assessment against the county's food-safety evaluation indicators: each score, its evidence and the shortcomings.`,
  });
}
