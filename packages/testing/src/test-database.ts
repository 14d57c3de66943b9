import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

export interface TestDatabase {
  name: string;
  /** Superuser URL to this database (fixtures, assertions). */
  adminUrl: string;
  /** URL for a service role created by the template migration, e.g. urlFor('accounts'). */
  urlFor(service: string): string;
  drop(): Promise<void>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite through \`npm test\`, which prepares the test template database`);
  return value;
}

/** The dev password `npm test` gives each service role in the template (scripts/lib/services.mjs). */
export function serviceRolePassword(service: string): string {
  return `dev_${service}_pw`;
}

function withDatabase(url: string, database: string, user?: { name: string; password: string }): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  if (user) {
    parsed.username = user.name;
    parsed.password = user.password;
  }
  return parsed.toString();
}

/**
 * A throwaway database cloned from the migrated template (DESIGN.md §3.14),
 * so that test files run in parallel without touching each other or the data
 * of a running `npm start`.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = required('BURSARY_TEST_PG_ADMIN_URL');
  const template = required('BURSARY_TEST_PG_TEMPLATE');
  const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.unsafe(`create database "${name}" template "${template}"`);
        break;
      } catch (error) {
        // 55006: the template is briefly in use by a concurrent clone; try again.
        if ((error as { code?: string }).code !== '55006' || attempt > 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
      }
    }
  } finally {
    await admin.end();
  }
  return {
    name,
    adminUrl: withDatabase(adminUrl, name),
    urlFor: (service) => withDatabase(adminUrl, name, { name: `bursary_${service}`, password: serviceRolePassword(service) }),
    async drop() {
      const sql = postgres(adminUrl, { max: 1, onnotice: () => undefined });
      try {
        await sql.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await sql.end();
      }
    },
  };
}
