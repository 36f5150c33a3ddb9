import { DEFAULT_TIME_ZONE } from '../config';
import { roundQuantity } from '../quantity';
import { GRADE_SUPERVISION } from '../credit/rules';
import { Grade } from '../entities/enums';

export type Lang = 'zh' | 'en';

/**
 * The page language: `?lang=` wins, then the browser's Accept-Language (by q-value, first of zh/en),
 * then Chinese.
 */
export function pickLang(queryLang: unknown, acceptLanguage: string | undefined): Lang {
  if (typeof queryLang === 'string') {
    const q = queryLang.toLowerCase();
    if (q === 'en' || q.startsWith('en-')) return 'en';
    if (q === 'zh' || q.startsWith('zh-')) return 'zh';
  }
  if (acceptLanguage) {
    const ranges = acceptLanguage
      .split(',')
      .map((part, index) => {
        const [tag, ...params] = part.trim().toLowerCase().split(';');
        const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
        const q = qParam ? Number(qParam.slice(2)) : 1;
        return { tag, q: Number.isFinite(q) ? q : 0, index };
      })
      .filter((r) => r.q > 0)
      .sort((a, b) => b.q - a.q || a.index - b.index);
    for (const r of ranges) {
      if (r.tag === 'zh' || r.tag.startsWith('zh-')) return 'zh';
      if (r.tag === 'en' || r.tag.startsWith('en-')) return 'en';
    }
  }
  return 'zh';
}

type Labels = Record<string, { zh: string; en: string }>;

export const OPERATOR_KIND: Labels = {
  FARM: { zh: '农场/种植户', en: 'Farm' },
  COOPERATIVE: { zh: '农民专业合作社', en: 'Cooperative' },
  DAIRY_FARM: { zh: '奶牛场', en: 'Dairy farm' },
  PROCESSOR: { zh: '加工企业', en: 'Processor' },
  WHOLESALER: { zh: '批发商', en: 'Wholesaler' },
  MARKET_VENDOR: { zh: '市场摊户', en: 'Market vendor' },
  SMALL_WORKSHOP: { zh: '食品小作坊', en: 'Small food workshop' },
  STREET_VENDOR: { zh: '食品摊贩', en: 'Street vendor' },
  CANTEEN: { zh: '单位食堂', en: 'Canteen' },
  RURAL_CHEF: { zh: '乡村厨师', en: 'Rural chef' },
};

export const CATEGORY: Labels = {
  VEGETABLE: { zh: '蔬菜', en: 'Vegetable' },
  FRUIT: { zh: '水果', en: 'Fruit' },
  DAIRY: { zh: '乳品', en: 'Dairy' },
  EDIBLE_FUNGI: { zh: '食用菌', en: 'Edible fungi' },
  TEA: { zh: '茶叶', en: 'Tea' },
  LIVESTOCK_POULTRY: { zh: '畜禽', en: 'Livestock and poultry' },
  EGGS: { zh: '禽蛋', en: 'Eggs' },
  AQUATIC: { zh: '养殖水产品', en: 'Farmed aquatic products' },
};

export const UNIT: Labels = {
  KG: { zh: '千克', en: 'kg' },
  G: { zh: '克', en: 'g' },
  T: { zh: '吨', en: 't' },
  L: { zh: '升', en: 'L' },
  ML: { zh: '毫升', en: 'mL' },
  PIECE: { zh: '件', en: 'pieces' },
  BOX: { zh: '箱', en: 'boxes' },
  CRATE: { zh: '筐', en: 'crates' },
  BOTTLE: { zh: '瓶', en: 'bottles' },
};

/** The documents a hand-over travels under. */
export const DOCUMENT_TYPE: Labels = {
  INVOICE: { zh: '发票', en: 'Invoice' },
  DELIVERY_NOTE: { zh: '送货单', en: 'Delivery note' },
  SALES_VOUCHER: { zh: '销售凭证', en: 'Sales voucher' },
  PURCHASE_ORDER: { zh: '采购订单', en: 'Purchase order' },
  BILL_OF_LADING: { zh: '提货单', en: 'Bill of lading' },
  OTHER: { zh: '其他单据', en: 'Other document' },
};

/** The four bases printed on a commitment-to-standard certificate. */
export const BASIS: Labels = {
  COMMISSIONED_TEST: { zh: '委托检测', en: 'Tested by a commissioned lab' },
  SELF_TEST: { zh: '自我检测', en: 'Tested by the producer' },
  INTERNAL_QC: { zh: '内部质量控制', en: 'Internal quality control' },
  SELF_COMMITMENT: { zh: '自我承诺', en: "Producer's own commitment" },
};

export const LINK_KIND: Labels = {
  SPLIT: { zh: '分装', en: 'Split' },
  MERGE: { zh: '合并', en: 'Merged' },
  PROCESS: { zh: '加工', en: 'Processed' },
  TRANSFER: { zh: '交付', en: 'Handed over' },
};

export const TEST_RESULT: Labels = {
  PASS: { zh: '合格', en: 'Passed' },
  FAIL: { zh: '不合格', en: 'Failed' },
};

export const INSPECTION_KIND: Labels = {
  RAPID: { zh: '快速检测', en: 'Rapid test' },
  LAB: { zh: '实验室检测', en: 'Laboratory test' },
};

export const OPERATOR_STATUS: Labels = {
  ACTIVE: { zh: '正常经营', en: 'Active' },
  SUSPENDED: { zh: '暂停经营', en: 'Suspended' },
  REVOKED: { zh: '已注销', en: 'Revoked' },
};

/** A label in the page language; an unknown code is shown as itself rather than hidden. */
export function label(table: Labels, code: string | null | undefined, lang: Lang): string {
  if (!code) return '';
  return table[code]?.[lang] ?? code;
}

export function gradeMeaning(grade: Grade | string, lang: Lang): string {
  return GRADE_SUPERVISION[grade as Grade]?.[lang] ?? '';
}

type FormatKind = 'date' | 'time';

const FORMAT_OPTIONS: Record<FormatKind, Record<Lang, Intl.DateTimeFormatOptions>> = {
  date: { zh: { year: 'numeric', month: 'long', day: 'numeric' }, en: { year: 'numeric', month: 'short', day: 'numeric' } },
  time: { zh: { hour: '2-digit', minute: '2-digit', hour12: false }, en: { hour: '2-digit', minute: '2-digit', hour12: false } },
};

/** Formatters are costly to build; one is kept per kind, language and zone. */
const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(kind: FormatKind, lang: Lang, timeZone: string): Intl.DateTimeFormat {
  const key = `${kind}|${lang}|${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone, ...FORMAT_OPTIONS[kind][lang] });
    formats.set(key, format);
  }
  return format;
}

function formatAt(kind: FormatKind, value: Date | string | null | undefined, lang: Lang, timeZone: string): string {
  if (!value) return '';
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? '' : formatIn(kind, lang, timeZone).format(d);
}

/** The day of an instant in the county's time zone (`Config.timeZone`), whatever the server's. */
export function formatDate(value: Date | string | null | undefined, lang: Lang, timeZone: string = DEFAULT_TIME_ZONE): string {
  return formatAt('date', value, lang, timeZone);
}

/** The time of day (hours and minutes) of an instant in the county's time zone. */
export function formatTime(value: Date | string | null | undefined, lang: Lang, timeZone: string = DEFAULT_TIME_ZONE): string {
  return formatAt('time', value, lang, timeZone);
}

/** A quantity without trailing zeros from numeric(14,3), with its unit. */
export function formatQuantity(quantity: number | string, unit: string, lang: Lang): string {
  const n = Number(quantity);
  const shown = Number.isFinite(n) ? String(roundQuantity(n)) : String(quantity);
  return `${shown} ${label(UNIT, unit, lang)}`;
}
