import { OptionalProps, Check, DecimalType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { HandoverDocumentType, LinkKind } from './enums';
import { Batch } from './batch.entity';
import { foreignKey, insertedAt } from './schema-options';

@Entity({ tableName: 'batch_link' })
@Check({ name: 'batch_link_quantity_check', expression: 'quantity > 0' })
@Check({ name: 'batch_link_check', expression: 'parent_id <> child_id' })
@Check({ name: 'batch_link_document_check', expression: '(document_type is null) = (document_number is null)' })
@Check({ name: 'batch_link_document_number_check', expression: 'length(document_number) > 0' })
@Unique({ name: 'batch_link_parent_id_child_id_key', properties: ['parent', 'child'] })
@Index({ name: 'batch_link_child_idx', properties: ['child', 'parent'] })
@Index({ name: 'batch_link_created_at_idx', properties: ['createdAt'] })
export class BatchLink {
  [OptionalProps]?: 'createdAt' | 'documentType' | 'documentNumber' | 'shippedAt' | 'shipFrom' | 'shipTo';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Batch, foreignKey('batch_link', 'parent_id'))
  parent!: Batch;

  @ManyToOne(() => Batch, foreignKey('batch_link', 'child_id'))
  child!: Batch;

  @Enum({ items: () => LinkKind })
  kind!: LinkKind;

  /** Quantity taken from the parent, in the parent's unit. */
  @Property({ type: new DecimalType('number'), precision: 14, scale: 3 })
  quantity!: number;

  @Property(insertedAt())
  createdAt: Date = new Date();

  /** The document a TRANSFER travelled under (type and number come together); null when none was given. */
  @Enum({ items: () => HandoverDocumentType, nullable: true })
  documentType: HandoverDocumentType | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  documentNumber: string | null = null;

  /** When the goods were shipped, as the sender says; the link's createdAt is when it was recorded. */
  @Property({ type: 'Date', nullable: true })
  shippedAt: Date | null = null;

  @Property({ type: 'string', length: 300, nullable: true })
  shipFrom: string | null = null;

  @Property({ type: 'string', length: 300, nullable: true })
  shipTo: string | null = null;
}
