import { Field, ID, InputType, Int } from 'type-graphql';
import { BanquetKind, BanquetTier, Meal } from './enums';

@InputType()
export class BanquetChefInput {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: "The chef's registration-card number, when registered" }) cardNo?: string | null;
}

@InputType()
export class BanquetIngredientInput {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: 'Scanned from its QR code (public code, trace URL, GS1 Digital Link) or typed' }) code?: string | null;
}

@InputType({ description: 'A banquet filing; the host contact is kept private' })
export class FileBanquetInput {
  @Field(() => String) hostName!: string;
  @Field(() => String) hostPhone!: string;
  @Field(() => String) village!: string;
  @Field(() => BanquetKind) kind!: BanquetKind;
  @Field(() => String, { description: 'YYYY-MM-DD' }) heldOn!: string;
  @Field(() => Meal) meal!: Meal;
  @Field(() => Int) guests!: number;
  @Field(() => Int, { nullable: true }) tablesCount?: number | null;
  @Field(() => String) venue!: string;
  @Field(() => String) menu!: string;
  @Field(() => [BanquetChefInput]) chefs!: BanquetChefInput[];
  @Field(() => [BanquetIngredientInput]) ingredients!: BanquetIngredientInput[];
}

@InputType()
export class BanquetGuidanceInput {
  @Field(() => String) number!: string;
  @Field(() => String, { description: 'What was checked on site and the guidance given' }) note!: string;
  @Field(() => ID, { nullable: true, description: "A field inspection of one of the banquet's registered chefs (its checklist answers and photos)" })
  inspectionId?: string | null;
  @Field(() => [String], { nullable: true, description: 'Photos of the on-site check: sha-256 names an upload answered' }) photos?: string[] | null;
}

@InputType({ description: "Which banquets: a village assistant sees its own village's only" })
export class BanquetFilter {
  @Field(() => String, { nullable: true }) village?: string | null;
  @Field(() => String, { nullable: true, description: 'Held on or after, YYYY-MM-DD' }) from?: string | null;
  @Field(() => String, { nullable: true, description: 'Held on or before, YYYY-MM-DD' }) to?: string | null;
  @Field(() => BanquetTier, { nullable: true }) tier?: BanquetTier | null;
}

@InputType()
export class BanquetOutcomeInput {
  @Field(() => String) number!: string;
  @Field(() => Int) peopleIll!: number;
  @Field(() => String, { nullable: true }) note?: string | null;
}

@InputType()
export class RegisterChefInput {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) village?: string | null;
  @Field(() => String, { nullable: true }) contactPhone?: string | null;
  @Field(() => String) healthCertificateNo!: string;
  @Field(() => String, { description: 'YYYY-MM-DD' }) healthCertificateExpiresOn!: string;
}

@InputType()
export class ChefTrainingInput {
  @Field(() => ID) operatorId!: string;
  @Field(() => String, { description: 'YYYY-MM-DD' }) on!: string;
}
