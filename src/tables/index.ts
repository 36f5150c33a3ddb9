import { accountTable } from './account.table';
import { creditAppealTable } from './credit-appeal.table';
import { creditEventTable } from './credit-event.table';
import { inspectionTable } from './inspection.table';
import { marketEntryTable } from './market-entry.table';
import type { Table } from './table';

/** Every table module's declaration; a test holds each against the migrated database. */
export const TABLES: readonly Table<unknown>[] = [
  accountTable as Table<unknown>,
  creditEventTable as Table<unknown>,
  creditAppealTable as Table<unknown>,
  marketEntryTable as Table<unknown>,
  inspectionTable as Table<unknown>,
];
