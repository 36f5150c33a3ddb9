import { OptionalProps, Check, Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Account } from './account.entity';
import { foreignKey, insertedAt } from './schema-options';

/** A photo taken in the field: the file lives under DATA_DIR, named by the sha-256 of its stored bytes. */
@Entity({ tableName: 'field_photo' })
@Check({ name: 'field_photo_width_check', expression: 'width > 0' })
@Check({ name: 'field_photo_height_check', expression: 'height > 0' })
@Check({ name: 'field_photo_bytes_check', expression: 'bytes > 0' })
export class FieldPhoto {
  [OptionalProps]?: 'createdAt' | 'uploadedBy';

  @PrimaryKey({ type: 'string', length: 64, columnType: 'char(64)' })
  sha256!: string;

  @Property({ type: 'string', length: 20 })
  mediaType!: string;

  @Property({ type: 'integer' })
  width!: number;

  @Property({ type: 'integer' })
  height!: number;

  @Property({ type: 'integer' })
  bytes!: number;

  @ManyToOne(() => Account, { nullable: true, ...foreignKey('field_photo', 'uploaded_by_id') })
  uploadedBy: Account | null = null;

  @Property(insertedAt())
  createdAt: Date = new Date();
}
