import type { ScoredEvent } from '../credit/credit.model';

/** How many records fall in one bucket (a local month or day, a rule) of one series (a grade, a decision, a market). */
export interface ChartCount {
  bucket: string;
  series: string;
  count: number;
}

/** An operator's events as the score reads them. */
export interface OperatorScoredEvent extends ScoredEvent {
  operatorId: number;
}

/** One line or bar series of a chart: a value per label, null where there is nothing to show (a rate of no tests). */
export interface ChartSeries {
  /** What the series counts: a grade, a decision, a test result, a score … the desk names it in the page's language. */
  key: string;
  /** The market a series of gate decisions belongs to. */
  market?: { id: number; name: string };
  values: (number | null)[];
}

/** The data of one chart on the regulator's desk; the same numbers fill the table behind it. */
export interface DeskChart {
  /** grades, creditRules, gateDecisions, testPassRate, incidents, villageScorecards (and any chart added to CHART_SOURCES). */
  key: string;
  /** The year a chart of one year covers (the village scorecards). */
  year?: number;
  /** Local months (YYYY-MM), local days (YYYY-MM-DD), codes (rule codes) or names (villages). */
  labels: string[];
  series: ChartSeries[];
}

/** The windows the desk's charts cover, ending today in the county's time zone. */
export interface ChartWindow {
  /** Local months, oldest first, the current month last. */
  months: string[];
  /** Local days, oldest first, today last. */
  days: string[];
  /** Instants: the first month's start, the first day's start, and tomorrow's start. */
  monthsFrom: Date;
  daysFrom: Date;
  to: Date;
}
