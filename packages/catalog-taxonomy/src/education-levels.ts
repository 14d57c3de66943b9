/**
 * Where a student is in their studies, in the order a student moves through
 * them. Modelled on the NSPA scholarship data standard's "grade level"
 * eligibility element, collapsed to the levels US providers actually target.
 */
export const EDUCATION_LEVELS = {
  high_school_senior: 'High school senior',
  community_college: 'Community college',
  vocational: 'Vocational / trade school',
  undergraduate: 'Undergraduate',
  graduate: "Graduate (master's)",
  doctoral: 'Doctoral',
  professional: 'Professional (law, medicine)',
} as const;

export type EducationLevel = keyof typeof EDUCATION_LEVELS;
