import type { IndicatorScoreModel, ScorecardModel } from './assessment.model';

export type ReportLang = 'zh' | 'en';

/** The self-assessment's words, for the page and the PDF alike. */
export const REPORT_TEXT = {
  zh: {
    title: (year: number) => `${year} 年度食品安全工作自评报告`,
    asOf: '统计截至', total: '总分', notApplicable: '不适用', indicator: '指标', formula: '计算方法', counts: '计数', value: '完成值', target: '目标',
    weight: '分值', score: '得分', met: '达标', yes: '是', no: '否', shortcomings: '差距与不足', none: '各项指标均已达到目标。',
    villages: '各村得分', village: '村', source: '指标来源',
    shortfall: (s: IndicatorScoreModel) => `${s.zh}：完成 ${percent(s.value)}（${s.numerator}/${s.denominator}），低于目标 ${percent(s.target)}。`,
    noFont: '',
  },
  en: {
    title: (year: number) => `Food-safety work self-assessment ${year}`,
    asOf: 'As of', total: 'Total', notApplicable: 'not applicable', indicator: 'Indicator', formula: 'Formula', counts: 'Counts', value: 'Value', target: 'Target',
    weight: 'Weight', score: 'Score', met: 'Met', yes: 'yes', no: 'no', shortcomings: 'Shortcomings', none: 'Every indicator reached its target.',
    villages: 'Villages', village: 'Village', source: 'Indicators',
    shortfall: (s: IndicatorScoreModel) => `${s.en}: ${percent(s.value)} (${s.numerator}/${s.denominator}), below the target of ${percent(s.target)}.`,
    noFont: 'This server has no CJK font (e.g. fonts-wqy-microhei), so this PDF is in English only.',
  },
} as const;

export function percent(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 1000) / 10}%`;
}

/** The indicators below their target: what the report lists as shortcomings. */
export function shortcomingsOf(card: ScorecardModel): IndicatorScoreModel[] {
  return card.indicators.filter((s) => s.met === false);
}
