import { Extensions } from 'type-graphql';

/**
 * Field-level rules, declared on the GraphQL classes and enforced once for the whole schema by
 * `resolvers/field-rules.ts`. An operation's `@Authorized` says who may call it at all; these say what an
 * anonymous caller of a public operation reads of a field, so the public GraphQL view tells no more than the
 * public pages (`/t/…`, `/m/…/board`), and which fields are personal data whose every read is audited.
 */
export const FIELD_RULES = 'fieldRules';

export interface FieldRules {
  /** What an anonymous caller reads instead of the value; present only on fields signed-in callers alone see. */
  anonymous?: { value: unknown } | { keep: (item: never) => boolean };
  /** Reading the field is recorded in the audit trail (who read which field of which record). */
  personalData?: boolean;
}

/**
 * Signed-in callers only: an anonymous caller reads `publicValue` instead — null for a nullable field; for a
 * non-null field a harmless value of its type (the schema keeps its type: turning `String!` into `String` would
 * break signed-in clients that rely on it).
 */
export function SignedInOnly(publicValue: unknown = null): PropertyDecorator & MethodDecorator {
  return Extensions({ [FIELD_RULES + ':anonymous']: { value: publicValue } }) as PropertyDecorator & MethodDecorator;
}

/** A list of which an anonymous caller reads only the items `keep` accepts (what the public page shows). */
export function PublicItems<T>(keep: (item: T) => boolean): PropertyDecorator & MethodDecorator {
  return Extensions({ [FIELD_RULES + ':anonymous']: { keep } }) as PropertyDecorator & MethodDecorator;
}

/** Personal data (contact people and phones, ID numbers, hosts of banquets): every read is audited. */
export function PersonalData(): PropertyDecorator & MethodDecorator {
  return Extensions({ [FIELD_RULES + ':personalData']: true }) as PropertyDecorator & MethodDecorator;
}

/** The rules of one field, read from its extensions. */
export function fieldRulesOf(extensions: Readonly<Record<string, unknown>> | null | undefined): FieldRules {
  const anonymous = extensions?.[FIELD_RULES + ':anonymous'] as FieldRules['anonymous'];
  const personalData = extensions?.[FIELD_RULES + ':personalData'] === true;
  return { ...(anonymous ? { anonymous } : {}), ...(personalData ? { personalData } : {}) };
}
