import { CITIZENSHIP_STATUSES, DEMOGRAPHIC_TAGS, EDUCATION_LEVELS, FIELDS_OF_STUDY, US_STATES } from '@bursary/catalog-taxonomy';
import { Type } from 'typebox';

const codes = (vocabulary: Record<string, string>) => Object.keys(vocabulary);

/** The controlled vocabularies as schemas, so a wrong code is a 400 naming the field (R-ERR-2). */
export const EducationLevel = Type.Enum(codes(EDUCATION_LEVELS), { description: 'an education level code, e.g. undergraduate' });
export const FieldOfStudy = Type.Enum(codes(FIELDS_OF_STUDY), { description: 'a CIP 2020 field-of-study code, e.g. 51.3801 (nursing)' });
export const UsStateCode = Type.Enum(codes(US_STATES), { description: 'a USPS state code, e.g. TX' });
export const Citizenship = Type.Enum(codes(CITIZENSHIP_STATUSES), { description: 'a citizenship status, e.g. us_citizen' });
export const DemographicTag = Type.Enum(codes(DEMOGRAPHIC_TAGS), { description: 'an applicant group, e.g. first_generation' });
export const Gpa = Type.Number({ minimum: 0, maximum: 5, multipleOf: 0.01, description: 'grade point average on the 4.0 scale (weighted up to 5.0)' });
