/** Citizenship or residency status a listing may require (any of them). */
export const CITIZENSHIP_STATUSES = {
  us_citizen: 'U.S. citizen',
  permanent_resident: 'Permanent resident',
  daca: 'DACA recipient',
  international: 'International student',
} as const;

export type CitizenshipStatus = keyof typeof CITIZENSHIP_STATUSES;

/**
 * Applicant groups a listing may be reserved for; a listing naming several
 * accepts a member of any of them. Self-reported by the student.
 */
export const DEMOGRAPHIC_TAGS = {
  first_generation: 'First-generation college student',
  women: 'Women',
  veteran: 'Veterans and military families',
  hispanic_latino: 'Hispanic / Latino',
  black_african_american: 'Black / African American',
  native_american: 'Native American / Alaska Native',
  asian_pacific_islander: 'Asian American / Pacific Islander',
  lgbtq: 'LGBTQ+',
  disability: 'Students with disabilities',
  foster_youth: 'Current or former foster youth',
  rural: 'Rural students',
  single_parent: 'Single parents',
} as const;

export type DemographicTag = keyof typeof DEMOGRAPHIC_TAGS;
