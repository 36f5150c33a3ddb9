import { Field, Float, ID, ObjectType } from 'type-graphql';
import { SignedInOnly } from './field-access';
import { GateDecision, InspectionKind, QuantityUnit, TestResult } from './enums';
import type { BoardRefusalModel, BoardTestModel, MarketEntryRecord, MarketTestBoardModel, Stored } from '../gate/gate.model';
import type { InspectionItemModel, InspectionRecord } from '../gate/inspection.model';
import { GateReason } from './gate.type';
import { InspectionItemFields } from './shared-fields.type';

@ObjectType({ description: 'One tested item, e.g. organophosphate/carbamate inhibition rate' })
export class InspectionItem extends InspectionItemFields implements InspectionItemModel {
  static from(i: InspectionItemModel): InspectionItem {
    return Object.assign(new InspectionItem(), { item: i.item, value: i.value, unit: i.unit, result: i.result });
  }
}

@ObjectType({ description: 'A rapid test at a gate or a lab test' })
export class Inspection {
  @Field(() => ID)
  id!: number;

  @Field(() => InspectionKind)
  kind!: InspectionKind;

  @Field(() => ID)
  batchId!: number;

  @Field(() => ID, { nullable: true })
  marketId!: number | null;

  @Field(() => ID, { nullable: true })
  entryId!: number | null;

  @Field(() => [InspectionItem])
  items!: InspectionItem[];

  @Field(() => TestResult, { description: 'FAIL when any item failed' })
  result!: TestResult;

  @Field(() => String)
  tester!: string;

  @Field(() => String, { nullable: true, description: "The device's idempotency key the result was sent with, if any" })
  testId!: string | null;

  @Field(() => Date)
  inspectedAt!: Date;

  static from(r: InspectionRecord | Stored<InspectionRecord>): Inspection {
    return Object.assign(new Inspection(), {
      id: r.id, kind: r.kind, batchId: r.batch_id, marketId: r.market_id, entryId: r.entry_id,
      items: r.items.map(InspectionItem.from), result: r.result, tester: r.tester, testId: r.test_id ?? null, inspectedAt: new Date(r.inspected_at),
    });
  }
}

@ObjectType({ description: 'A gate scan as it stands now; a test may have decided it after the scan' })
export class MarketEntry {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  scanId!: string;

  @Field(() => ID)
  marketId!: number;

  @Field(() => ID, { nullable: true })
  batchId!: number | null;

  @Field(() => ID, { nullable: true })
  certificateId!: number | null;

  @Field(() => ID)
  vendorId!: number;

  @Field(() => Float)
  declaredQuantity!: number;

  @Field(() => QuantityUnit)
  unit!: QuantityUnit;

  @Field(() => GateDecision)
  decision!: GateDecision;

  @Field(() => [GateReason])
  reasons!: GateReason[];

  @Field(() => ID, { nullable: true })
  receivedBatchId!: number | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the decision became final; null while a test is pending' })
  decidedAt!: Date | null;

  static from(r: MarketEntryRecord | Stored<MarketEntryRecord>): MarketEntry {
    return Object.assign(new MarketEntry(), {
      id: r.id, scanId: r.scan_id, marketId: r.market_id, batchId: r.batch_id, certificateId: r.certificate_id, vendorId: r.vendor_id,
      declaredQuantity: Number(r.declared_quantity), unit: r.unit, decision: r.decision,
      reasons: r.reasons.map((x) => Object.assign(new GateReason(), { code: x.code, zh: x.zh, en: x.en })),
      receivedBatchId: r.received_batch_id, createdAt: new Date(r.created_at), decidedAt: r.decided_at && new Date(r.decided_at),
    });
  }
}

@ObjectType({ description: 'A recorded test and, when it decided a waiting gate entry, that entry' })
export class RecordedTest {
  @Field(() => Inspection)
  inspection!: Inspection;

  @Field(() => MarketEntry, { nullable: true })
  entry!: MarketEntry | null;
}

@ObjectType({ description: 'One test on the public board' })
export class BoardTest implements Omit<BoardTestModel, 'batchId'> {
  @Field(() => ID)
  inspectionId!: number;

  @Field(() => InspectionKind)
  kind!: InspectionKind;

  @Field(() => Date)
  inspectedAt!: Date;

  @Field(() => String)
  productName!: string;

  @Field(() => String, { description: 'Public code of the tested lot (its trace page is /t/CODE)' })
  batchPublicCode!: string;

  @Field(() => ID)
  vendorId!: number;

  @Field(() => String)
  vendorName!: string;

  @Field(() => [InspectionItem])
  items!: InspectionItem[];

  @Field(() => TestResult)
  result!: TestResult;

  /** A person's name: the board page leaves it out. */
  @SignedInOnly('')
  @Field(() => String, { description: 'Who tested; empty for anonymous callers' })
  tester!: string;
}

@ObjectType({ description: 'A load the market refused, as its public board shows it' })
export class BoardRefusal implements BoardRefusalModel {
  @Field(() => ID)
  entryId!: number;

  @Field(() => Date)
  decidedAt!: Date;

  @Field(() => String, { nullable: true, description: 'Null when the scanned code named no lot' })
  productName!: string | null;

  /** The refused lot and its vendor stay out of the public view (SECURITY.md): the board says what and why, not whose. */
  @SignedInOnly(null)
  @Field(() => String, { nullable: true, description: 'Public code of the refused lot; null for anonymous callers' })
  batchPublicCode!: string | null;

  @SignedInOnly('')
  @Field(() => String, { description: 'The vendor the load was for; empty for anonymous callers' })
  vendorName!: string;

  @Field(() => Float)
  declaredQuantity!: number;

  @Field(() => QuantityUnit)
  unit!: QuantityUnit;

  @Field(() => [GateReason])
  reasons!: GateReason[];

  @Field(() => String, { description: 'RETURNED: turned back at the gate; HELD_NON_CONFORMANT: failed a test, the lot is marked and may not be sold' })
  handling!: 'RETURNED' | 'HELD_NON_CONFORMANT';
}

@ObjectType({ description: "A market's public test-result board for one market day (China Standard Time)" })
export class MarketTestBoard implements Omit<MarketTestBoardModel, 'tests' | 'refusals'> {
  @Field(() => ID)
  marketId!: number;

  @Field(() => String)
  marketName!: string;

  @Field(() => String, { description: 'YYYY-MM-DD' })
  date!: string;

  @Field(() => [BoardTest])
  tests!: BoardTest[];

  @Field(() => [BoardRefusal], { description: 'Loads refused that day and how each was dealt with' })
  refusals!: BoardRefusal[];

  @Field(() => String, { description: 'The complaint telephone number the market shows' })
  complaintPhone!: string;

  static from(b: MarketTestBoardModel): MarketTestBoard {
    return Object.assign(new MarketTestBoard(), {
      marketId: b.marketId,
      marketName: b.marketName,
      date: b.date,
      complaintPhone: b.complaintPhone,
      refusals: b.refusals.map((r) => Object.assign(new BoardRefusal(), r)),
      tests: b.tests.map((t) => Object.assign(new BoardTest(), {
        inspectionId: t.inspectionId, kind: t.kind, inspectedAt: t.inspectedAt, productName: t.productName, batchPublicCode: t.batchPublicCode,
        vendorId: t.vendorId, vendorName: t.vendorName, items: t.items.map(InspectionItem.from), result: t.result, tester: t.tester,
      })),
    });
  }
}
