import type { Sql } from 'postgres';
import type { StudentProfile } from '../eligibility/student-profile.js';

interface ProfileRow {
  gpa: string | null;
  education_level: string | null;
  fields_of_study: string[] | null;
  state: string | null;
  citizenship: string | null;
  demographic_tags: string[] | null;
  financial_need: boolean | null;
}

/** Student profiles: one row per user, replaced as a whole. */
export class ProfileRepository {
  constructor(private readonly sql: Sql) {}

  async get(userId: string): Promise<StudentProfile | undefined> {
    const [row] = await this.sql<ProfileRow[]>`
      select gpa, education_level, fields_of_study, state, citizenship, demographic_tags, financial_need
      from catalog.student_profiles where user_id = ${userId}`;
    if (!row) return undefined;
    return {
      gpa: row.gpa === null ? null : Number(row.gpa),
      educationLevel: row.education_level,
      fieldsOfStudy: row.fields_of_study,
      state: row.state,
      citizenship: row.citizenship,
      demographicTags: row.demographic_tags,
      financialNeed: row.financial_need,
    };
  }

  async put(userId: string, profile: StudentProfile): Promise<void> {
    await this.sql`
      insert into catalog.student_profiles (user_id, gpa, education_level, fields_of_study, state, citizenship, demographic_tags, financial_need, updated_at)
      values (${userId}, ${profile.gpa ?? null}, ${profile.educationLevel ?? null}, ${profile.fieldsOfStudy ?? null}::text[], ${profile.state ?? null},
              ${profile.citizenship ?? null}, ${profile.demographicTags ?? null}::text[], ${profile.financialNeed ?? null}, now())
      on conflict (user_id) do update set
        gpa = excluded.gpa, education_level = excluded.education_level, fields_of_study = excluded.fields_of_study, state = excluded.state,
        citizenship = excluded.citizenship, demographic_tags = excluded.demographic_tags, financial_need = excluded.financial_need, updated_at = now()`;
  }
}
