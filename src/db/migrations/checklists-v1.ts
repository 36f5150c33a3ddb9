import { ItemSeverity, OperatorKind } from '../../entities/enums';
import type { ChecklistItemModel } from '../../supervision/supervision.model';

/**
 * The first version of each checklist, as the town office uses them in the field. Drawn from the Food Safety Law
 * (health certificates, receiving checks, records kept 6 months past shelf life or 2 years), the market rules
 * (vendor archive, certificate and voucher checks, rapid tests, the results board) and the school canteen rules
 * (sample retention of every dish, ≥125 g, 48 h; morning health check). A county changes a checklist by adding a
 * new version; inspections keep the version they were made with.
 */
export interface SeedChecklist {
  kind: OperatorKind;
  zh: string;
  en: string;
  items: ChecklistItemModel[];
}

const item = (code: string, severity: ItemSeverity, zh: string, en: string): ChecklistItemModel => ({ code, severity, zh, en });
const { MINOR, MAJOR, CRITICAL } = ItemSeverity;

const LICENCE = item('LICENCE', MAJOR, '持有效营业执照或备案登记卡并公示', 'Valid licence or registration card, displayed');
const HEALTH_CERT = item('HEALTH_CERT', MAJOR, '从业人员持有效健康证明', 'Staff hold valid health certificates');
const CLEAN = item('CLEAN', MINOR, '场所清洁，无积水、垃圾和虫害迹象', 'Premises clean: no standing water, waste or signs of pests');
const NO_BANNED = item('NO_BANNED', CRITICAL, '未使用非食用物质、禁用添加剂或回收食品', 'No non-food substances, banned additives or recycled food');
const NO_EXPIRED = item('NO_EXPIRED', CRITICAL, '无过期、变质或来源不明的原料和食品', 'No expired, spoiled or untraceable ingredients or food');
const RECEIVING = item('RECEIVING', MAJOR, '进货查验并记录，票据留存', 'Deliveries checked and recorded, invoices kept');

export const SEED_CHECKLISTS: SeedChecklist[] = [
  {
    kind: OperatorKind.SMALL_WORKSHOP, zh: '食品小作坊日常检查表', en: 'Small food workshop routine checklist',
    items: [
      LICENCE, HEALTH_CERT,
      item('LAYOUT', MAJOR, '原料、加工、成品分区，生熟分开', 'Raw materials, processing and finished goods kept apart; raw and cooked separate'),
      NO_BANNED,
      item('ADDITIVES', MAJOR, '食品添加剂专柜存放、专人管理并记录用量', 'Additives stored apart, managed by one person, usage recorded'),
      NO_EXPIRED, RECEIVING,
      item('LABEL', MINOR, '预包装产品标签标明名称、日期、保质期和作坊信息', 'Packaged goods labelled with name, date, shelf life and workshop'),
      CLEAN,
    ],
  },
  {
    kind: OperatorKind.MARKET_VENDOR, zh: '市场经营户日常检查表', en: 'Market vendor routine checklist',
    items: [
      LICENCE,
      item('CERTIFICATE', MAJOR, '食用农产品凭承诺达标合格证或购货凭证进场', 'Farm produce comes with a commitment certificate or purchase voucher'),
      NO_EXPIRED,
      item('RAPID_TEST', MAJOR, '按要求接受快检，不合格产品已处置', 'Rapid tests accepted; failed goods dealt with'),
      item('PRICE_ORIGIN', MINOR, '明示产地和价格', 'Origin and price displayed'),
      CLEAN,
    ],
  },
  {
    kind: OperatorKind.STREET_VENDOR, zh: '食品摊贩日常检查表', en: 'Street vendor routine checklist',
    items: [
      item('CARD', MAJOR, '持有并公示摊贩备案登记卡', 'Holds and displays the vendor registration card'),
      HEALTH_CERT,
      item('COVERED', MINOR, '直接入口食品有防尘防蝇设施', 'Ready-to-eat food covered against dust and flies'),
      item('WATER', MAJOR, '使用清洁水源，餐具清洗消毒', 'Clean water used; utensils washed and disinfected'),
      NO_EXPIRED, NO_BANNED,
    ],
  },
  {
    kind: OperatorKind.CANTEEN, zh: '学校（幼儿园）食堂日常检查表', en: 'School and kindergarten canteen routine checklist',
    items: [
      LICENCE,
      item('MORNING_CHECK', MAJOR, '每日晨检并记录（发热、腹泻、手部伤口）', 'Daily morning health check of kitchen staff recorded (fever, diarrhoea, hand wounds)'),
      HEALTH_CERT,
      item('RECEIVING_LEDGER', MAJOR, '进货查验台账完整，保存至保质期满后6个月（无保质期的2年）', 'Receiving ledger complete, kept 6 months past shelf life (2 years without one)'),
      item('SAMPLES', CRITICAL, '每餐每样留样不少于125克，密封冷藏48小时以上并记录', 'Every dish of every meal sampled, at least 125 g, sealed, refrigerated at least 48 hours, recorded'),
      item('DISINFECTION', MAJOR, '餐用具清洗消毒并保洁存放', 'Tableware washed, disinfected and stored clean'),
      item('STORAGE', MINOR, '食品离地离墙存放，冷藏冷冻温度符合要求', 'Food stored off floor and walls; fridge and freezer at correct temperatures'),
      NO_EXPIRED, NO_BANNED,
    ],
  },
  {
    kind: OperatorKind.FARM, zh: '种植养殖主体检查表', en: 'Farm checklist',
    items: [
      item('INPUT_RECORDS', MAJOR, '农药、兽药、饲料使用记录完整', 'Pesticide, veterinary drug and feed use recorded'),
      item('BANNED_INPUTS', CRITICAL, '未使用禁用农药兽药', 'No banned pesticides or veterinary drugs used'),
      item('WITHDRAWAL', CRITICAL, '遵守安全间隔期、休药期', 'Pre-harvest intervals and withdrawal periods kept'),
      item('CERTIFICATES', MAJOR, '上市产品开具承诺达标合格证', 'Commitment certificates issued for products sold'),
      item('INPUT_STORAGE', MINOR, '农业投入品专门存放', 'Farm inputs stored apart'),
    ],
  },
  {
    kind: OperatorKind.WHOLESALER, zh: '批发经营户检查表', en: 'Wholesaler checklist',
    items: [
      LICENCE, RECEIVING,
      item('CERTIFICATE', MAJOR, '查验并留存合格证或购货凭证', 'Certificates or purchase vouchers checked and kept'),
      item('SALES_RECORD', MAJOR, '销售记录完整，可追溯去向', 'Sales recorded so goods can be traced onward'),
      NO_EXPIRED, CLEAN,
    ],
  },
  {
    kind: OperatorKind.PROCESSOR, zh: '食品生产加工企业检查表', en: 'Food processor checklist',
    items: [
      LICENCE, HEALTH_CERT, RECEIVING,
      item('PROCESS_CONTROL', MAJOR, '关键工序控制并记录', 'Critical process steps controlled and recorded'),
      item('RELEASE_TEST', MAJOR, '出厂检验并记录', 'Release tests done and recorded'),
      NO_BANNED, NO_EXPIRED, CLEAN,
    ],
  },
  {
    kind: OperatorKind.DAIRY_FARM, zh: '奶畜养殖场检查表', en: 'Dairy farm checklist',
    items: [
      item('MILKING_HYGIENE', MAJOR, '挤奶设施清洁消毒，生鲜乳及时冷却', 'Milking equipment cleaned; raw milk cooled promptly'),
      item('VET_DRUGS', CRITICAL, '用药奶畜休药期内生鲜乳未出售', 'Milk from treated animals not sold during withdrawal'),
      item('HERD_HEALTH', MAJOR, '奶畜健康检查和免疫记录完整', 'Herd health checks and vaccinations recorded'),
      item('INPUT_RECORDS', MAJOR, '饲料和兽药使用记录完整', 'Feed and veterinary drug use recorded'),
      CLEAN,
    ],
  },
  {
    kind: OperatorKind.COOPERATIVE, zh: '合作社检查表', en: 'Cooperative checklist',
    items: [
      item('MEMBER_RECORDS', MAJOR, '成员生产记录完整', "Members' production records complete"),
      item('BANNED_INPUTS', CRITICAL, '未使用禁用农药兽药', 'No banned pesticides or veterinary drugs used'),
      item('CERTIFICATES', MAJOR, '上市产品开具承诺达标合格证', 'Commitment certificates issued for products sold'),
      item('SELF_TEST', MINOR, '开展自检或委托检测并留存记录', 'Own or commissioned tests done and kept'),
    ],
  },
];
