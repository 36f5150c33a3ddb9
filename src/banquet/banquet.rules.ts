import { BanquetTier, BatchStatus, Role } from '../entities/enums';

/**
 * Who guides a banquet, by its number of guests, read top to bottom: the first row whose `upTo` the guests do not
 * exceed. Counties set their own thresholds; these are the town's (up to 100 the host files, 101–200 the township
 * guides on site, above 200 the county does).
 */
export const GUIDANCE_TIERS: readonly { upTo: number; tier: BanquetTier; zh: string; en: string }[] = [
  { upTo: 100, tier: BanquetTier.HOST_FILES, zh: '主办者备案，村协管员提醒', en: 'The host files; the village assistant reminds' },
  { upTo: 200, tier: BanquetTier.TOWN_ON_SITE, zh: '乡镇现场指导', en: 'The township guides on site' },
  { upTo: Number.POSITIVE_INFINITY, tier: BanquetTier.COUNTY_ON_SITE, zh: '县级现场指导', en: 'The county guides on site' },
];

export function guidanceTier(guests: number): BanquetTier {
  return GUIDANCE_TIERS.find((t) => guests <= t.upTo)!.tier;
}

/**
 * Who may record guidance for a banquet of each tier (always within the viewer's own scope: a village assistant its
 * village only). The village assistant guides the banquets the host files; the town's inspectors check on site up to
 * the township tier; the county tier is the regulators'.
 */
export const GUIDED_BY: Readonly<Record<BanquetTier, readonly Role[]>> = {
  [BanquetTier.HOST_FILES]: [Role.VILLAGE_ASSISTANT, Role.INSPECTOR, Role.REGULATOR, Role.ADMIN],
  [BanquetTier.TOWN_ON_SITE]: [Role.INSPECTOR, Role.REGULATOR, Role.ADMIN],
  [BanquetTier.COUNTY_ON_SITE]: [Role.REGULATOR, Role.ADMIN],
};

/** Days before the banquet on which the village assistant is reminded. */
export const REMINDER_DAYS_BEFORE = 3;

/** What is known of an ingredient's lot when a banquet is filed. */
export interface IngredientFacts {
  codeGiven: boolean;
  found: boolean;
  batchStatus: BatchStatus | null;
  nonConformant: boolean;
  recalled: boolean;
}

/** What is known of a chef when a banquet is filed. */
export interface ChefFacts {
  registered: boolean;
  /** The chef's health certificate ends before the banquet's day. */
  certificateExpired: boolean;
}

export interface WarningRule<F> {
  code: string;
  applies: (f: F) => boolean;
  zh: string;
  en: string;
}

/** Warnings on an ingredient, each shown to the host at once and kept with the filing. */
export const INGREDIENT_WARNINGS: readonly WarningRule<IngredientFacts>[] = [
  { code: 'INGREDIENT_UNKNOWN_CODE', applies: (f) => f.codeGiven && !f.found, zh: '追溯码无法识别', en: 'The trace code is not known' },
  { code: 'INGREDIENT_RECALLED', applies: (f) => f.found && (f.recalled || f.batchStatus === BatchStatus.RECALLED),
    zh: '该食材批次已被召回，请勿使用', en: 'This lot has been recalled: do not use it' },
  { code: 'INGREDIENT_NON_CONFORMANT', applies: (f) => f.found && f.nonConformant,
    zh: '该食材批次检测不合格，请勿使用', en: 'This lot failed a test: do not use it' },
];

export const CHEF_WARNINGS: readonly WarningRule<ChefFacts>[] = [
  { code: 'CHEF_NOT_REGISTERED', applies: (f) => !f.registered, zh: '厨师未在乡村厨师名录登记', en: 'The chef is not in the rural chef registry' },
  { code: 'CHEF_CERTIFICATE_EXPIRED', applies: (f) => f.registered && f.certificateExpired,
    zh: '厨师健康证已过期，不得掌勺', en: "The chef's health certificate has expired: the chef may not cook" },
];
