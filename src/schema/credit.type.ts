import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import {
  ChainProblem,
  type BrokenChainLink as BrokenChainLinkModel,
  type ChainVerification as ChainVerificationModel,
  type CreditEventData,
  type InspectionPlanItem as InspectionPlanItemModel,
  type QuarterCloseResult as QuarterCloseResultModel,
} from '../credit/credit.model';
import { CreditSource, Grade, InspectionOutcome } from './enums';
import { Credit } from './operator.type';
import { PageInfo } from './page-info.type';

export { ChainProblem, type CreditEventData };

registerEnumType(ChainProblem, {
  name: 'ChainProblem',
  description: 'How a link of a credit hash chain is broken',
  valuesConfig: {
    SEQUENCE_GAP: { description: 'A chain position is missing, repeated or out of order' },
    PREVIOUS_HASH_MISMATCH: { description: "The row's prev_hash is not the previous row's hash" },
    HASH_MISMATCH: { description: "The row's stored columns do not hash to its stored hash (the row was altered)" },
    HEAD_MISMATCH: { description: 'The chain does not end at the head its operator recorded (its newest events were removed)' },
    CREDIT_MISMATCH: { description: "The operator's stored score, grade or forced-D end is not what its events give" },
    CHECKPOINT_MISMATCH: { description: 'A head signed in the latest checkpoint is not in the chain as stored (an event at or before it was rewritten or removed)' },
  },
});

@ObjectType({ description: 'One entry of an operator\'s append-only, hash-chained credit archive' })
export class CreditEvent implements CreditEventData {
  @Field(() => ID)
  id!: number;

  @Field(() => ID)
  operatorId!: number;

  @Field(() => Int, { description: "Position in the operator's chain, from 1" })
  seq!: number;

  @Field(() => String)
  ruleCode!: string;

  @Field(() => Int, { description: 'Points as recorded; a reversed event keeps its points but no longer counts' })
  points!: number;

  @Field(() => String)
  reason!: string;

  @Field(() => CreditSource)
  source!: CreditSource;

  @Field(() => String, { nullable: true, description: 'The cause: an entry, inspection, recall or appeal id, or a period like 2026-Q3' })
  sourceRef!: string | null;

  @Field(() => ID, { nullable: true, description: 'The account that recorded it; null for the system' })
  recordedById!: number | null;

  @Field(() => Date)
  occurredAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When a deduction stops counting; null for never' })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Holds the grade at D until this time' })
  forcesDUntil!: Date | null;

  @Field(() => ID, { nullable: true, description: 'The event this reversal cancels' })
  reversesId!: number | null;

  @Field(() => ID, { nullable: true, description: 'The reversal that cancelled this event, if any' })
  reversedById!: number | null;

  @Field(() => Boolean, { description: 'True once a later event reversed this one; it stays in the archive' })
  reversed!: boolean;

  @Field(() => String, { description: 'Hash of the previous event in the chain (64 zeros for the first)' })
  prevHash!: string;

  @Field(() => String, { description: 'sha-256 over prevHash and the canonical row' })
  hash!: string;

  @Field(() => Date)
  createdAt!: Date;

  static from(e: CreditEventData): CreditEvent {
    return Object.assign(new CreditEvent(), { ...e, reversed: e.reversedById !== null });
  }
}

@ObjectType()
export class CreditEventEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => CreditEvent)
  node!: CreditEvent;
}

@ObjectType()
export class CreditEventConnection {
  @Field(() => [CreditEventEdge])
  edges!: CreditEventEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'A credit rule: points, how long a deduction counts, whether it forces grade D' })
export class CreditRuleInfo {
  @Field(() => String)
  code!: string;

  @Field(() => Int, { nullable: true, description: 'Fixed points; null when a regulator chooses within pointsMin…pointsMax' })
  points!: number | null;

  @Field(() => Int)
  pointsMin!: number;

  @Field(() => Int)
  pointsMax!: number;

  @Field(() => Int, { nullable: true, description: 'Shortest months a deduction counts; null for never expiring' })
  expiresMonthsMin!: number | null;

  @Field(() => Int, { nullable: true, description: 'Longest months a deduction counts; null for never expiring' })
  expiresMonthsMax!: number | null;

  @Field(() => Int, { nullable: true, description: 'Months the grade is held at D; null for no forcing' })
  forcesDMonths!: number | null;

  @Field(() => Boolean, { description: 'Recorded by a regulator through recordCreditEvent' })
  recordable!: boolean;

  @Field(() => String)
  zh!: string;

  @Field(() => String)
  en!: string;
}

@ObjectType({ description: "What a grade means for supervision" })
export class GradeSupervision {
  @Field(() => Grade)
  grade!: Grade;

  @Field(() => Float, { description: 'Share of gate scans sent to a rapid test' })
  sampleRate!: number;

  @Field(() => Int, { description: 'Suggested on-site inspections per year' })
  inspectionsPerYear!: number;

  @Field(() => String)
  zh!: string;

  @Field(() => String)
  en!: string;
}

@ObjectType({ description: 'An event just recorded and the credit it led to' })
export class RecordedCreditEvent {
  @Field(() => CreditEvent)
  event!: CreditEvent;

  @Field(() => Credit)
  credit!: Credit;
}

@ObjectType()
export class BrokenChainLink implements BrokenChainLinkModel {
  @Field(() => ID)
  operatorId!: number;

  @Field(() => ID, { nullable: true, description: 'The offending row; null when the chain ends early' })
  eventId!: number | null;

  @Field(() => Int, { description: 'Chain position of the offending row, or the recorded head position' })
  seq!: number;

  @Field(() => ChainProblem)
  problem!: ChainProblem;

  @Field(() => String, { description: 'What the chain requires here (a position or a hash)' })
  expected!: string;

  @Field(() => String, { description: 'What the stored row holds' })
  found!: string;
}

@ObjectType({ description: 'The result of recomputing hash chains from the stored rows' })
export class ChainVerification implements ChainVerificationModel {
  @Field(() => Boolean)
  ok!: boolean;

  @Field(() => Int)
  operatorsChecked!: number;

  @Field(() => Int)
  eventsChecked!: number;

  @Field(() => BrokenChainLink, { nullable: true, description: 'The first broken link, by operator id and then chain position' })
  firstBroken!: BrokenChainLink | null;

  /** In id order. */
  @Field(() => [ID], { description: 'Every operator whose chain is broken' })
  brokenOperatorIds!: number[];

  @Field(() => ID, { nullable: true, description: 'The signed checkpoint the heads were checked against; null when none was made' })
  checkpointId?: number | null;

  @Field(() => String, { nullable: true, description: 'What is wrong with that checkpoint itself (signature, or leaves against root); null when sound' })
  checkpointProblem?: string | null;
}

@ObjectType({ description: 'A signed checkpoint of the credit ledger (Merkle root over every chain head); see docs/LEDGER.md' })
export class LedgerCheckpoint {
  @Field(() => ID)
  id!: number;

  @Field(() => Int, { description: 'Number of chain heads (leaves)' })
  size!: number;

  @Field(() => String, { description: 'RFC 6962 Merkle root, hex' })
  root!: string;

  @Field(() => String, { description: 'When it was signed (ISO text, exactly as signed)' })
  signedAt!: string;

  @Field(() => String, { description: 'Ed25519 signature, base64' })
  signature!: string;

  @Field(() => String, { description: "sha-256 of the signing key's public key (DER), hex" })
  keyId!: string;
}

@ObjectType({ description: 'An operator due for an on-site inspection in the planned month' })
export class InspectionPlanItem implements InspectionPlanItemModel {
  @Field(() => ID)
  operatorId!: number;

  @Field(() => Grade)
  grade!: Grade;

  @Field(() => Int)
  score!: number;

  @Field(() => Date, { nullable: true })
  forcedUntil!: Date | null;

  @Field(() => Int)
  inspectionsPerYear!: number;

  @Field(() => Date, { nullable: true, description: 'The latest on-site inspection before the month; null if never' })
  lastInspectedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the next inspection fell due; null if never inspected' })
  dueSince!: Date | null;

  @Field(() => Int, { description: 'Field inspections recorded within the month' })
  inspectionsInMonth!: number;

  @Field(() => Date, { nullable: true, description: 'The latest field inspection within the month; null while still due' })
  doneAt!: Date | null;

  @Field(() => InspectionOutcome, { nullable: true, description: 'What that inspection found' })
  doneOutcome!: InspectionOutcome | null;
}

@ObjectType({ description: 'What closing a quarter awarded' })
export class QuarterCloseResult implements QuarterCloseResultModel {
  @Field(() => String)
  quarter!: string;

  @Field(() => Int, { description: 'Operators with entries and no standing deduction in the quarter' })
  eligible!: number;

  /** In id order. */
  @Field(() => [ID], { description: 'Operators awarded CLEAN_QUARTER by this run' })
  awardedOperatorIds!: number[];

  @Field(() => Int, { description: 'Eligible operators an earlier run had already awarded' })
  alreadyAwarded!: number;
}
