import { IDENTITY_HEADERS } from '@bursary/auth';
import type { ServiceInstance } from '@bursary/service-kit';
import { createTestDatabase, serviceTestEnv, waitFor, type TestDatabase } from '@bursary/testing';
import postgres, { type Sql } from 'postgres';
import { buildApp } from '../../src/app.js';
import { loadCatalogConfig } from '../../src/config.js';

export interface CatalogHarness {
  app: ServiceInstance;
  database: TestDatabase;
  /** A superuser connection to the test database, for fixtures and assertions. */
  admin: Sql;
  close(): Promise<void>;
}

export const SITE = 'https://www.bursary.test';

/** The catalog as production composes it, over a throwaway database cloned from the migrated template. */
export async function startCatalog(env: Record<string, string> = {}): Promise<CatalogHarness> {
  const database = await createTestDatabase();
  const app = await buildApp(
    loadCatalogConfig(serviceTestEnv({ DATABASE_URL: database.urlFor('catalog'), PUBLIC_SITE_URL: SITE, FUNNEL_FLUSH_INTERVAL_MS: '50',
      // A shared, busy test machine must not make these tests about load shedding (its own tests are in service-kit).
      SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
      SHED_MAX_HEAP_USED_RATIO: '0',
      ...env })),
  );
  await waitFor(async () => (await app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200, { what: 'catalog /readyz 200', timeoutMs: 15_000 });
  const admin = postgres(database.adminUrl, { max: 2, onnotice: () => undefined });
  return {
    app,
    database,
    admin,
    async close() {
      await app.close();
      await admin.end();
      await database.drop();
    },
  };
}

/** The identity headers the gateway sets for a verified student token. */
export function asStudent(userId: string): Record<string, string> {
  return { [IDENTITY_HEADERS.userId]: userId, [IDENTITY_HEADERS.roles]: '' };
}

/** The identity headers the gateway sets for a verified provider token of `org`. */
export function asProvider(org: string, userId = `${org}-user`): Record<string, string> {
  return { [IDENTITY_HEADERS.userId]: userId, [IDENTITY_HEADERS.roles]: 'provider', [IDENTITY_HEADERS.providerOrg]: org };
}

/** A day `days` from today, YYYY-MM-DD (UTC). */
export function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

export interface ListingFixture {
  title: string;
  summary?: string;
  description?: string;
  award?: { minMinor?: number | null; maxMinor?: number | null; currency?: string };
  deadline?: string;
  renewable?: boolean;
  essayRequired?: boolean;
  eligibility?: Record<string, unknown>;
  providerName?: string;
}

/** Creates and publishes a listing through the provider API; returns its public JSON. */
export async function publishListing(app: ServiceInstance, org: string, fixture: ListingFixture): Promise<{ id: string; slug: string } & Record<string, unknown>> {
  const body = {
    summary: `${fixture.title}: an award for students who want to make a difference.`,
    description: `The ${fixture.title} supports students with tuition, books and fees. Applicants are reviewed by a committee every spring.`,
    award: { minMinor: 100_000, maxMinor: 250_000, currency: 'USD' },
    deadline: inDays(60),
    applicationUrl: 'https://provider.example/apply',
    ...fixture,
  };
  const created = await app.inject({ method: 'POST', url: '/v1/provider/scholarships', headers: asProvider(org), payload: body });
  if (created.statusCode !== 201) throw new Error(`create failed: ${created.statusCode} ${created.body}`);
  const { id } = created.json<{ id: string }>();
  const published = await app.inject({ method: 'POST', url: `/v1/provider/scholarships/${id}/publish`, headers: asProvider(org) });
  if (published.statusCode !== 200) throw new Error(`publish failed: ${published.statusCode} ${published.body}`);
  return published.json();
}
