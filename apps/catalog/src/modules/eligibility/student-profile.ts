import { Type, type Static } from 'typebox';
import { Citizenship, DemographicTag, EducationLevel, FieldOfStudy, Gpa, UsStateCode } from '../listings/vocabulary.js';

const Answer = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));

/**
 * A student's answers on the same dimensions as a listing's criteria. A
 * missing or null answer is "not answered": criteria that need it come out
 * `unknown` ("complete your profile"), never `ineligible`.
 */
export const StudentProfile = Type.Object(
  {
    gpa: Answer(Gpa),
    educationLevel: Answer(EducationLevel),
    fieldsOfStudy: Answer(Type.Array(FieldOfStudy, { maxItems: 5, uniqueItems: true })),
    state: Answer(UsStateCode),
    citizenship: Answer(Citizenship),
    demographicTags: Answer(Type.Array(DemographicTag, { maxItems: 12, uniqueItems: true })),
    financialNeed: Answer(Type.Boolean({ description: 'whether the student has demonstrated financial need (e.g. FAFSA)' })),
  },
  { additionalProperties: false },
);

export type StudentProfile = Static<typeof StudentProfile>;

/** The profile fields, for "complete your profile" lists. */
export type ProfileField = keyof StudentProfile;
