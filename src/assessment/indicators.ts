import type { ScorecardScope } from './assessment.model';

export type IndicatorCode =
  | 'REGISTRATION_COVERAGE' | 'INSPECTION_PLAN' | 'RECTIFICATION_ON_TIME' | 'INCIDENT_REPORTED' | 'INCIDENT_HANDLED_ON_TIME'
  | 'BANQUET_GUIDED' | 'TRAININGS_HELD' | 'TRAINING_ATTENDANCE' | 'GATE_TEST_PASS' | 'GATE_CERTIFICATE_COVERAGE' | 'RECALL_CLOSED';

/**
 * One evaluation indicator: what it counts (its evidence query in `scorecard.sql.ts`, under the same code), how much
 * it weighs and the value it must reach. The records the query returns are the denominator and those it marks
 * counted the numerator — unless `perYear` is set: then the records are the numerator and the denominator is that
 * many a year (trainings to hold).
 */
export interface Indicator {
  code: IndicatorCode;
  zh: string;
  en: string;
  formulaZh: string;
  formulaEn: string;
  weight: number;
  /** 0–1. */
  target: number;
  perYear: number | null;
  appliesTo: readonly ScorecardScope['kind'][];
}

export const INDICATORS_SOURCE = "the county's evaluation indicators for the town's food-safety work (乡镇食品安全工作考核); weights and targets per county";

const AREA = ['TOWN', 'VILLAGE'] as const;
const EVERY = ['TOWN', 'VILLAGE', 'CANTEEN', 'MARKET'] as const;

/** The indicators, in the order a report lists them; weights add up to 100. */
export const INDICATORS: readonly Indicator[] = [
  {
    code: 'REGISTRATION_COVERAGE', zh: '生产经营主体登记备案覆盖率', en: 'Registration coverage of known sites',
    formulaZh: '已登记经营主体 ÷（已登记经营主体 + 年底仍未登记的隐患场所）', formulaEn: 'registered operators ÷ (registered operators + hazard sites still unregistered at the year’s end)',
    weight: 10, target: 1, perYear: null, appliesTo: AREA,
  },
  {
    code: 'INSPECTION_PLAN', zh: '监督检查计划完成率', en: 'Inspection plan completion',
    formulaZh: '年内现场检查次数达到其信用等级要求（A 1 次、B 2 次、C 3 次、D 4 次）的主体 ÷ 应检主体', formulaEn: 'operators inspected in the year as often as their grade asks (A 1, B 2, C 3, D 4) ÷ operators to inspect',
    weight: 15, target: 1, perYear: null, appliesTo: EVERY,
  },
  {
    code: 'RECTIFICATION_ON_TIME', zh: '整改按期完成率', en: 'Rectification orders put right on time',
    formulaZh: '期限前复查整改完成的整改单 ÷ 年内到期（或已复查）的整改单', formulaEn: 'orders re-checked as put right by their deadline ÷ orders whose deadline in the year has passed (or that were re-checked)',
    weight: 10, target: 0.95, perYear: null, appliesTo: EVERY,
  },
  {
    code: 'INCIDENT_REPORTED', zh: '食品安全事故报告率', en: 'Incidents reported in time',
    formulaZh: '在规定时限内报告的事故 ÷ 年内报告的事故（演练除外）', formulaEn: 'incidents reported within the rule’s window ÷ incidents reported in the year (drills left out)',
    weight: 10, target: 1, perYear: null, appliesTo: EVERY,
  },
  {
    code: 'INCIDENT_HANDLED_ON_TIME', zh: '事故按时处置率', en: 'Incidents handled on time',
    formulaZh: '期限内处置完毕的事故 ÷ 处置期限已到或已处置的事故', formulaEn: 'incidents handled by their deadline ÷ incidents handled or past their handling deadline',
    weight: 10, target: 1, perYear: null, appliesTo: EVERY,
  },
  {
    code: 'BANQUET_GUIDED', zh: '农村集体聚餐备案指导率', en: 'Banquets filed and guided',
    formulaZh: '已现场指导的需指导聚餐 ÷ 年内已举办（或已指导）的需指导聚餐（101 人以上）', formulaEn: 'banquets guided on site ÷ banquets needing guidance (over 100 guests) held in the year so far or already guided',
    weight: 10, target: 1, perYear: null, appliesTo: AREA,
  },
  {
    code: 'TRAININGS_HELD', zh: '培训开展次数', en: 'Trainings held',
    formulaZh: '年内举办的培训（本村及全镇）÷ 每年应办 2 次', formulaEn: 'trainings held in the year (the village’s and the town’s) ÷ 2 a year',
    weight: 5, target: 1, perYear: 2, appliesTo: AREA,
  },
  {
    code: 'TRAINING_ATTENDANCE', zh: '经营主体参训率', en: 'Operators trained',
    formulaZh: '年内至少参加一次培训的主体 ÷ 主体总数', formulaEn: 'operators who attended at least one training in the year ÷ operators',
    weight: 10, target: 0.8, perYear: null, appliesTo: EVERY,
  },
  {
    code: 'GATE_TEST_PASS', zh: '快检合格率', en: 'Gate test pass rate',
    formulaZh: '合格的快检和实验室检测 ÷ 年内检测总数', formulaEn: 'passed rapid and laboratory tests ÷ tests in the year',
    weight: 10, target: 0.98, perYear: null, appliesTo: ['TOWN', 'VILLAGE', 'MARKET'],
  },
  {
    code: 'GATE_CERTIFICATE_COVERAGE', zh: '进场查验合格证覆盖率', en: 'Certificate coverage at gates',
    formulaZh: '凭合格证进场的扫码 ÷ 年内进场扫码总数', formulaEn: 'gate scans that came with a certificate ÷ gate scans in the year',
    weight: 5, target: 0.9, perYear: null, appliesTo: ['TOWN', 'VILLAGE', 'MARKET'],
  },
  {
    code: 'RECALL_CLOSED', zh: '召回完成率', en: 'Recall effectiveness',
    formulaZh: '已完成（全部去向已处置并结案）的召回 ÷ 年内发起的召回', formulaEn: 'recalls closed with every holding accounted for ÷ recalls started in the year',
    weight: 5, target: 1, perYear: null, appliesTo: AREA,
  },
];

/** The indicator's value, score and whether it met its target, from its counts; nulls when there is nothing to count. */
export function scoreOf(indicator: Indicator, numerator: number, denominator: number): { value: number | null; score: number | null; met: boolean | null } {
  if (denominator === 0) return { value: null, score: null, met: null };
  const value = Math.min(numerator / denominator, 1);
  const score = Math.round(indicator.weight * Math.min(value / indicator.target, 1) * 100) / 100;
  return { value: Math.round(value * 10000) / 10000, score, met: value >= indicator.target };
}

/** The total out of 100 over the indicators that apply, one decimal; null when none applies. */
export function totalOf(scores: readonly { weight: number; score: number | null }[]): number | null {
  const applied = scores.filter((s) => s.score !== null);
  const weights = applied.reduce((n, s) => n + s.weight, 0);
  if (!weights) return null;
  return Math.round((applied.reduce((n, s) => n + s.score!, 0) / weights) * 1000) / 10;
}
