import { IncidentKind } from '../entities/enums';

/** What each kind of incident is called, in both languages of the town. */
export const INCIDENT_KIND_NAMES: Record<IncidentKind, { zh: string; en: string }> = {
  [IncidentKind.FOOD_POISONING]: { zh: '食物中毒', en: 'Food poisoning' },
  [IncidentKind.COMPLAINT]: { zh: '投诉', en: 'Complaint' },
  [IncidentKind.HAZARD]: { zh: '隐患', en: 'Hazard' },
  [IncidentKind.FAILED_TEST]: { zh: '检测不合格', en: 'Failed test' },
  [IncidentKind.OTHER]: { zh: '其他', en: 'Other' },
};

/**
 * Deadlines per kind of incident, in hours: report within `reportWithin` of it happening, start investigating within
 * `investigateWithin` and have it handled within `handleWithin` of the report. The town's emergency plan sets them;
 * a county adjusts this table (food poisoning: report within 2 hours, as the national emergency rules ask).
 */
export const INCIDENT_DEADLINES: Record<IncidentKind, { reportWithin: number; investigateWithin: number; handleWithin: number }> = {
  [IncidentKind.FOOD_POISONING]: { reportWithin: 2, investigateWithin: 2, handleWithin: 24 },
  [IncidentKind.FAILED_TEST]: { reportWithin: 24, investigateWithin: 24, handleWithin: 72 },
  [IncidentKind.HAZARD]: { reportWithin: 24, investigateWithin: 24, handleWithin: 72 },
  [IncidentKind.COMPLAINT]: { reportWithin: 24 * 7, investigateWithin: 72, handleWithin: 24 * 7 },
  [IncidentKind.OTHER]: { reportWithin: 24 * 7, investigateWithin: 72, handleWithin: 24 * 7 },
};

export const INCIDENT_DEADLINES_SOURCE = "the town's food-safety emergency plan; adjust per county";

const HOUR = 3600_000;

export function deadlinesFor(kind: IncidentKind, reportedAt: Date): { investigateDueAt: Date; handleDueAt: Date } {
  const d = INCIDENT_DEADLINES[kind];
  return { investigateDueAt: new Date(reportedAt.getTime() + d.investigateWithin * HOUR), handleDueAt: new Date(reportedAt.getTime() + d.handleWithin * HOUR) };
}

export function reportWindows(): Record<string, number> {
  return Object.fromEntries(Object.entries(INCIDENT_DEADLINES).map(([k, v]) => [k, v.reportWithin]));
}
