import { Field, ID, Int, ObjectType } from 'type-graphql';
import type {
  BanquetChefModel, BanquetIncidentRequestModel, BanquetIngredientModel, BanquetModel, BanquetWarning as BanquetWarningModel, RuralChefModel,
} from '../banquet/banquet.model';
import { BanquetKind, BanquetStatus, BanquetTier, Meal } from './enums';
import { PersonalData, SignedInOnly } from './field-access';
import { PageInfo } from './page-info.type';

@ObjectType({ description: 'Why a filing needs attention at once' })
export class BanquetWarning implements BanquetWarningModel {
  @Field(() => String) code!: string;
  @Field(() => String) zh!: string;
  @Field(() => String) en!: string;
  @Field(() => String, { description: 'The ingredient or chef it is about' }) subject!: string;
}

@ObjectType()
export class BanquetIngredient implements Omit<BanquetIngredientModel, 'batchId'> {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) codeScanned!: string | null;
  @Field(() => ID, { nullable: true, description: 'The lot the code names' }) batchId!: string | null;
  @Field(() => String, { nullable: true }) publicCode!: string | null;
}

@ObjectType()
export class BanquetChef implements Omit<BanquetChefModel, 'chefId'> {
  @Field(() => String) name!: string;
  @Field(() => ID, { nullable: true, description: 'The registered rural chef (an operator of kind RURAL_CHEF)' }) chefId!: string | null;
}

@ObjectType({ description: 'A filed village banquet' })
export class Banquet implements Omit<BanquetModel, 'id' | 'chefs' | 'ingredients' | 'warnings' | 'guidanceInspectionId'> {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'The filing number (YH, year, serial)' }) number!: string;
  @PersonalData()
  @SignedInOnly('')
  @Field(() => String) hostName!: string;
  @PersonalData()
  @SignedInOnly('')
  @Field(() => String) hostPhone!: string;
  @Field(() => String) village!: string;
  @Field(() => BanquetKind) kind!: BanquetKind;
  @Field(() => String, { description: 'YYYY-MM-DD' }) heldOn!: string;
  @Field(() => Meal) meal!: Meal;
  @Field(() => Int) guests!: number;
  @Field(() => Int, { nullable: true }) tablesCount!: number | null;
  @Field(() => String) venue!: string;
  @Field(() => String) menu!: string;
  @Field(() => BanquetTier, { description: 'Who guides it, by the number of guests' }) tier!: BanquetTier;
  @Field(() => BanquetStatus) status!: BanquetStatus;
  @Field(() => [BanquetWarning]) warnings!: BanquetWarning[];
  @Field(() => String, { nullable: true }) guidanceNote!: string | null;
  @Field(() => Date, { nullable: true }) guidedAt!: Date | null;
  @Field(() => ID, { nullable: true, description: "The field inspection of one of the banquet's chefs the guidance cites" }) guidanceInspectionId!: string | null;
  @Field(() => [String], { description: 'Photos of the on-site check (sha-256 names; fetch at /photos/NAME)' }) guidancePhotos!: string[];
  @Field(() => Date, { nullable: true }) servedAt!: Date | null;
  @Field(() => Int, { nullable: true }) peopleIll!: number | null;
  @Field(() => String, { nullable: true }) outcomeNote!: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => [BanquetChef]) chefs!: BanquetChef[];
  @Field(() => [BanquetIngredient]) ingredients!: BanquetIngredient[];

  static from(b: BanquetModel): Banquet {
    return Object.assign(new Banquet(), {
      ...b,
      id: String(b.id),
      guidanceInspectionId: b.guidanceInspectionId === null ? null : String(b.guidanceInspectionId),
      warnings: b.warnings.map((w) => Object.assign(new BanquetWarning(), w)),
      chefs: b.chefs.map((c) => Object.assign(new BanquetChef(), { name: c.name, chefId: c.chefId === null ? null : String(c.chefId) })),
      ingredients: b.ingredients.map((i) => Object.assign(new BanquetIngredient(), { ...i, batchId: i.batchId === null ? null : String(i.batchId) })),
    });
  }
}

@ObjectType({ description: 'People fell ill after a banquet: the incident it opens, with the banquet\'s lots as suspects' })
export class BanquetIncidentRequest implements Omit<BanquetIncidentRequestModel, 'id' | 'banquetId' | 'suspectBatchIds'> {
  @Field(() => ID) id!: string;
  @Field(() => ID) banquetId!: string;
  @Field(() => Int) peopleIll!: number;
  @Field(() => [ID]) suspectBatchIds!: string[];
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => String, { nullable: true, description: 'The incident opened for it (its id)' }) incidentRef!: string | null;
  @Field(() => Date) createdAt!: Date;

  static from(r: BanquetIncidentRequestModel): BanquetIncidentRequest {
    return Object.assign(new BanquetIncidentRequest(), { ...r, id: String(r.id), banquetId: String(r.banquetId), suspectBatchIds: r.suspectBatchIds.map(String) });
  }
}

@ObjectType()
export class BanquetOutcome {
  @Field(() => Banquet) banquet!: Banquet;
  @Field(() => BanquetIncidentRequest, { nullable: true }) incidentRequest!: BanquetIncidentRequest | null;
}

@ObjectType({ description: 'A registered rural chef' })
export class RuralChef implements Omit<RuralChefModel, 'operatorId'> {
  @Field(() => ID, { description: 'The chef as an operator (its credit archive is the operator\'s)' }) operatorId!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) village!: string | null;
  @Field(() => String, { nullable: true }) registrationCardNo!: string | null;
  @Field(() => String) healthCertificateNo!: string;
  @Field(() => String, { description: 'YYYY-MM-DD' }) healthCertificateExpiresOn!: string;
  @Field(() => Int) trainingsAttended!: number;
  @Field(() => String, { nullable: true }) lastTrainedOn!: string | null;
  @Field(() => Int) banquetsCooked!: number;

  static from(c: RuralChefModel): RuralChef {
    return Object.assign(new RuralChef(), { ...c, operatorId: String(c.operatorId) });
  }
}

@ObjectType()
export class BanquetConnection {
  @Field(() => [Banquet]) nodes!: Banquet[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
