import { Field, ID, InputType, Int } from 'type-graphql';
import { BanquetKind, Meal } from './enums';

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
