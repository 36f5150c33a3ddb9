import { ProductCategory } from '../entities/enums';

/** Where a category's answer comes from, so a county can check it and adjust the table when its rules differ. */
export interface CertificateRequirement {
  /** Must a producer issue a commitment-to-standard certificate (承诺达标合格证) when this category leaves the farm? */
  required: boolean;
  /** Why, in a sentence: the scope line of the rule, or the other regime the category falls under. */
  reason: string;
}

/**
 * The rule this table encodes: 食用农产品承诺达标合格证管理办法, Ministry of Agriculture and Rural Affairs order 2025
 * No. 4, in force 2026-02-01. Its scope names edible farm products: vegetables (edible fungi included), fruit, tea,
 * livestock and poultry, eggs and farmed aquatic products.
 *
 * Dairy is outside that list. Raw milk (生鲜乳) travels under its own regime, the dairy quality and safety regulation
 * (乳品质量安全监督管理条例): a transport permit and a delivery record for every load from the farm to the dairy, not
 * a commitment certificate; dairy products are processed food made under a production licence. The gate therefore
 * neither charges NO_CERTIFICATE on a dairy load nor sends it to a test for lacking one.
 */
export const CERTIFICATE_RULES: Readonly<Record<ProductCategory, CertificateRequirement>> = {
  [ProductCategory.VEGETABLE]: { required: true, reason: 'vegetables are in the scope of order 2025 No. 4' },
  [ProductCategory.EDIBLE_FUNGI]: { required: true, reason: 'edible fungi are in the scope of order 2025 No. 4, counted with vegetables' },
  [ProductCategory.FRUIT]: { required: true, reason: 'fruit is in the scope of order 2025 No. 4' },
  [ProductCategory.TEA]: { required: true, reason: 'tea is in the scope of order 2025 No. 4' },
  [ProductCategory.LIVESTOCK_POULTRY]: { required: true, reason: 'livestock and poultry are in the scope of order 2025 No. 4' },
  [ProductCategory.EGGS]: { required: true, reason: 'eggs are in the scope of order 2025 No. 4' },
  [ProductCategory.AQUATIC]: { required: true, reason: 'farmed aquatic products are in the scope of order 2025 No. 4' },
  [ProductCategory.DAIRY]: {
    required: false,
    reason: 'raw milk travels under the dairy regulation (transport permit and delivery record); dairy products are licensed processed food',
  },
};

/** The certificate rule's source, as the pages and the API quote it. */
export const CERTIFICATE_RULE_SOURCE = '食用农产品承诺达标合格证管理办法 (农业农村部令2025年第4号, 2026-02-01)';

export function certificateRequired(category: ProductCategory): boolean {
  return CERTIFICATE_RULES[category].required;
}
