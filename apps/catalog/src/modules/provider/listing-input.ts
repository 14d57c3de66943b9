import { Type, type Static } from 'typebox';
import { Citizenship, DemographicTag, EducationLevel, FieldOfStudy, Gpa, UsStateCode } from '../listings/vocabulary.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const MinorUnits = Type.Integer({ minimum: 0, maximum: 2_000_000_000, description: 'minor units (cents)' });
const CodeList = <T extends Parameters<typeof Type.Array>[0]>(item: T, max: number, description: string) =>
  Type.Array(item, { maxItems: max, uniqueItems: true, description: `${description}; empty: no restriction` });

/** What a provider may write (R-CAT-3); every field optional so that PATCH can reuse it. */
const ListingFields = {
  title: Type.String({ minLength: 3, maxLength: 200 }),
  summary: Type.String({ maxLength: 500, description: 'one or two sentences shown in results and as the page description' }),
  description: Type.String({ maxLength: 20_000 }),
  providerName: Type.String({ minLength: 1, maxLength: 200, description: 'the display name of your organization (applies to all its listings)' }),
  award: Type.Object(
    {
      minMinor: Type.Optional(Nullable(MinorUnits)),
      maxMinor: Type.Optional(Nullable(MinorUnits)),
      currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, e.g. USD' })),
    },
    { additionalProperties: false },
  ),
  awardsCount: Nullable(Type.Integer({ minimum: 1, maximum: 100_000, description: 'how many awards are given per cycle' })),
  deadline: Nullable(Type.String({ format: 'date', description: 'the last day to apply (YYYY-MM-DD)' })),
  renewable: Type.Boolean(),
  essayRequired: Type.Boolean(),
  applicationUrl: Nullable(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2_000 })),
  eligibility: Type.Object(
    {
      minGpa: Type.Optional(Nullable(Gpa)),
      educationLevels: Type.Optional(CodeList(EducationLevel, 7, 'education levels')),
      fieldsOfStudy: Type.Optional(CodeList(FieldOfStudy, 20, 'CIP field-of-study codes')),
      states: Type.Optional(CodeList(UsStateCode, 52, 'states of residence')),
      citizenship: Type.Optional(CodeList(Citizenship, 4, 'citizenship statuses')),
      demographicTags: Type.Optional(CodeList(DemographicTag, 12, 'applicant groups (any of)')),
      needBased: Type.Optional(Type.Boolean()),
      meritBased: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
};

const optional = Object.fromEntries(Object.entries(ListingFields).map(([name, schema]) => [name, Type.Optional(schema)])) as {
  [K in keyof typeof ListingFields]: ReturnType<typeof Type.Optional<(typeof ListingFields)[K]>>;
};

export const CreateListing = Type.Object({ ...optional, title: ListingFields.title }, { additionalProperties: false });
export const UpdateListing = Type.Object(optional, { additionalProperties: false, minProperties: 1 });

export type ListingInput = Static<typeof UpdateListing>;
