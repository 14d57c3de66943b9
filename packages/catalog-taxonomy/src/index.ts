export { EDUCATION_LEVELS, type EducationLevel } from './education-levels.js';
export { FIELDS_OF_STUDY, type FieldOfStudyCode } from './fields-of-study.js';
export { US_STATES, type UsState } from './us-states.js';
export { CITIZENSHIP_STATUSES, DEMOGRAPHIC_TAGS, type CitizenshipStatus, type DemographicTag } from './applicant-attributes.js';
export { listingKeywords, type KeywordSource } from './listing-keywords.js';
export { newSlug, slugBase } from './slug.js';
