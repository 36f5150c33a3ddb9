import { OptionalProps, Check, Entity, Enum, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { OperatorKind } from './enums';
import { insertedAt } from './schema-options';

export interface ChecklistItem {
  code: string;
  severity: string;
  zh: string;
  en: string;
}

/** One version of a checklist for one kind of operator; never changed (a trigger refuses it), a change is a new version. */
@Entity({ tableName: 'checklist_template' })
@Check({ name: 'checklist_template_version_check', expression: 'version > 0' })
@Check({ name: 'checklist_template_items_check', expression: "jsonb_typeof(items) = 'array' and jsonb_array_length(items) > 0" })
@Unique({ name: 'checklist_template_operator_kind_version_key', properties: ['operatorKind', 'version'] })
export class ChecklistTemplate {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Enum({ items: () => OperatorKind })
  operatorKind!: OperatorKind;

  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'string', length: 200 })
  nameZh!: string;

  @Property({ type: 'string', length: 200 })
  nameEn!: string;

  @Property({ type: 'json' })
  items!: ChecklistItem[];

  @Property(insertedAt())
  createdAt: Date = new Date();
}
