import { Type } from 'typebox';

const Verdict = Type.Union([Type.Literal('eligible'), Type.Literal('ineligible'), Type.Literal('unknown')]);

export const CriterionResult = Type.Object({
  criterion: Type.String({ description: 'open, deadline, minGpa, educationLevel, fieldOfStudy, residency, citizenship, demographic or financialNeed' }),
  status: Verdict,
  reason: Type.String(),
  profileField: Type.Optional(Type.String({ description: 'the profile field that would settle an unknown criterion' })),
});

export const EligibilityResult = Type.Object({
  scholarshipId: Type.String({ format: 'uuid' }),
  status: Verdict,
  criteria: Type.Array(CriterionResult),
  missingProfileFields: Type.Array(Type.String(), { description: 'complete these profile fields to settle every unknown criterion' }),
});
