import { spawn } from 'node:child_process';
import { uniqueSuffix, waitFor } from '@bursary/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/service-process.js';
import { startStack, type Stack } from '../support/stack.js';
import { startTestTokenIssuer, type TestTokenIssuer } from '../support/test-token-issuer.js';

interface Listing {
  id: string;
  slug: string;
  title: string;
  eligibility: { fieldsOfStudy: string[]; states: string[] };
}
interface Page {
  items: Listing[];
  total: number;
  nextCursor: string | null;
  correctedQuery?: string | null;
  facets?: Record<string, Array<{ value: string; label: string; count: number }>>;
}

const SITE = 'https://www.bursary.test';
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** tools/seed as `npm start` runs it: the demo catalog, into the stack's own database. */
async function seedDemoCatalog(postgresPort: number): Promise<void> {
  const child = spawn(process.execPath, [`${repoRoot}tools/seed/dist/seed.js`], {
    env: { ...process.env, SEED_CATALOG_DATABASE_URL: `postgres://bursary_catalog:e2e_catalog_pw@127.0.0.1:${postgresPort}/bursary`, DATABASE_TLS: 'disable' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`tools/seed exited ${code}: ${output}`);
}

// Issue 6's "done when", as clients see it through the gateway: the built
// services as processes, edge auth enforced with tokens this test signs.
describe('catalog flow through the gateway (e2e)', () => {
  let stack: Stack;
  let issuer: TestTokenIssuer;
  let gateway: string;
  let student: string;
  let provider: string;
  let published: Listing;

  beforeAll(async () => {
    issuer = await startTestTokenIssuer();
    stack = await startStack({
      AUTH_MODE: 'enforce',
      AUTH_JWKS_URL: issuer.jwksUrl,
      PUBLIC_SITE_URL: SITE,
      FUNNEL_FLUSH_INTERVAL_MS: '100',
      REDIS_KEY_PREFIX: `test:${uniqueSuffix('e2e')}:`,
    });
    gateway = stack.gateway.url;
    await seedDemoCatalog(stack.postgres.port);
    student = await issuer.token({ sub: 'e2e-student' });
    provider = await issuer.token({ sub: 'e2e-provider-user', roles: ['provider'], org: 'e2e-nurses-guild' });
  });
  afterAll(async () => {
    await stack?.stop();
    await issuer?.close();
  });

  const get = async <T>(path: string, token?: string): Promise<{ status: number; body: T; headers: Headers }> => {
    const response = await fetch(`${gateway}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const text = await response.text();
    return { status: response.status, body: (text.startsWith('{') ? JSON.parse(text) : text) as T, headers: response.headers };
  };
  const send = async <T>(method: string, path: string, token: string | undefined, body?: unknown): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${gateway}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  };

  it('R-CAT-3: a provider publishes a listing through the portal and it is searchable at once', async () => {
    const created = await send<Listing>('POST', '/v1/provider/scholarships', provider, {
      title: 'Nightingale Guild Nursing Scholarship',
      providerName: 'Nightingale Nurses Guild',
      summary: 'For nursing students in Texas who plan to work in public hospitals after graduation.',
      description: 'The Nightingale Nurses Guild awards this scholarship every spring to nursing students with a record of volunteering in hospitals and clinics.',
      award: { minMinor: 150_000, maxMinor: 300_000, currency: 'USD' },
      deadline: inDays(40),
      applicationUrl: 'https://nightingale.example/apply',
      eligibility: { fieldsOfStudy: ['51.3801'], states: ['TX'], minGpa: 3 },
    });
    expect(created.status).toBe(201);
    expect((await send('POST', `/v1/provider/scholarships/${created.body.id}/publish`, student)).status).toBe(403);
    const publish = await send<Listing & { status: string }>('POST', `/v1/provider/scholarships/${created.body.id}/publish`, provider);
    expect(publish.status).toBe(200);
    expect(publish.body.status).toBe('published');
    published = publish.body;

    const search = await get<Page>('/v1/search?q=nightingale&e2e=1');
    expect(search.status).toBe(200);
    expect(search.body.items.map((item) => item.id)).toEqual([published.id]);
    expect((await get('/v1/provider/scholarships')).status).toBe(401);
  });

  it('R-CAT-1: "nursing" and the typo "nursng" both find nursing scholarships, with facets', async () => {
    const exact = await get<Page>('/v1/search?q=nursing&e2e=1');
    expect(exact.status).toBe(200);
    expect(exact.headers.get('cache-control')).toBe('no-store');
    expect(exact.body.total).toBeGreaterThan(1);
    expect(exact.body.items.map((item) => item.id)).toContain(published.id);
    expect(exact.body.items.every((item) => /nurs/i.test(JSON.stringify(item)))).toBe(true);
    expect(exact.body.facets!['fieldsOfStudy']!.find((facet) => facet.value === '51.3801')).toMatchObject({ label: 'Nursing', count: expect.any(Number) });
    expect(Object.keys(exact.body.facets!).sort()).toEqual(['amount', 'educationLevels', 'essayRequired', 'fieldsOfStudy', 'renewable', 'states']);

    const typo = await get<Page>('/v1/search?q=nursng&e2e=1');
    expect(typo.status).toBe(200);
    expect(typo.body.correctedQuery).toBe('nursing');
    expect(typo.body.total).toBe(exact.body.total);
    expect(typo.body.items.map((item) => item.id)).toEqual(exact.body.items.map((item) => item.id));
  });

  it('R-CAT-1: filters and cursor pagination agree with total', async () => {
    const seen = new Set<string>();
    let total = -1;
    let cursor: string | null = null;
    do {
      const page: { status: number; body: Page } = await get<Page>(`/v1/scholarships?state=TX&limit=25&sort=deadline&e2e=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status).toBe(200);
      if (total === -1) total = page.body.total;
      expect(page.body.total).toBe(total);
      for (const item of page.body.items) {
        expect(seen.has(item.id)).toBe(false);
        seen.add(item.id);
        expect(item.eligibility.states.length === 0 || item.eligibility.states.includes('TX')).toBe(true);
      }
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(total).toBeGreaterThan(25);
    expect(seen.size).toBe(total);
  });

  it('R-CAT-1: eligibility answers per criterion', async () => {
    const response = await send<{ status: string; criteria: Array<{ criterion: string; status: string; reason: string }>; missingProfileFields: string[] }>('POST', '/v1/eligibility', undefined, {
      scholarshipId: published.id,
      profile: { gpa: 2.5, fieldsOfStudy: ['51.3801'] },
    });
    expect(response.status).toBe(200);
    const by = Object.fromEntries(response.body.criteria.map((c) => [c.criterion, c.status]));
    expect(by).toEqual({ deadline: 'eligible', minGpa: 'ineligible', fieldOfStudy: 'eligible', residency: 'unknown' });
    expect(response.body.status).toBe('ineligible');
    expect(response.body.missingProfileFields).toEqual(['state']);
  });

  it('R-CAT-2: a student shortlists and starts an application once, even when the requests are repeated', async () => {
    const adds = await Promise.all([1, 2, 3].map(() => send<{ added: boolean }>('PUT', `/v1/shortlist/${published.id}?e2e=1`, student)));
    expect(adds.map((add) => add.status).sort()).toEqual([200, 200, 201]);
    const shortlist = await get<{ items: Array<{ scholarship: Listing }> }>('/v1/shortlist', student);
    expect(shortlist.body.items.map((item) => item.scholarship.id)).toEqual([published.id]);

    const starts = await Promise.all([1, 2, 3].map(() => send<{ id: string; status: string }>('POST', '/v1/applications?e2e=1', student, { scholarshipId: published.id })));
    expect(starts.map((start) => start.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(starts.map((start) => start.body.id)).size).toBe(1);
    const applications = await get<{ items: Array<{ id: string; status: string }> }>('/v1/applications', student);
    expect(applications.body.items).toHaveLength(1);
    expect(applications.body.items[0]).toMatchObject({ id: starts[0]!.body.id, status: 'started' });
    expect((await send('POST', '/v1/applications', undefined, { scholarshipId: published.id })).status).toBe(401);
  });

  it('R-CAT-4, R-HDR-1: robots.txt, the sitemap index and a landing page with canonical link and JSON-LD are served without no-store', async () => {
    const robots = await get<string>('/robots.txt');
    expect(robots.status).toBe(200);
    expect(robots.body).toContain(`Sitemap: ${SITE}/sitemap.xml`);
    const index = await get<string>('/sitemap.xml');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<sitemapindex');
    const part = new URL(/<loc>([^<]+)<\/loc>/.exec(index.body)![1]!).pathname;
    const sitemap = await get<string>(part);
    expect(sitemap.status).toBe(200);
    expect(sitemap.body).toContain(`<loc>${SITE}/scholarships/${published.slug}</loc>`);
    const page = await get<string>(`/scholarships/${published.slug}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.body).toContain(`<link rel="canonical" href="${SITE}/scholarships/${published.slug}">`);
    expect(JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page.body)![1]!)).toMatchObject({ '@type': 'MonetaryGrant', name: published.title });
    for (const response of [robots, index, sitemap, page]) {
      expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+/);
      expect(response.headers.get('cache-control')).not.toMatch(/no-store/);
      expect(response.headers.get('etag')).toBeTruthy();
    }
    const revalidated = await fetch(`${gateway}/scholarships/${published.slug}`, { headers: { 'if-none-match': page.headers.get('etag')! } });
    expect(revalidated.status).toBe(304);
  });
  it('R-OPS-6: test traffic marked by ?e2e=1 or the x-bursary-test header through the gateway is tagged; other traffic is not', async () => {
    const query = `funnelmarker${uniqueSuffix('q').replace(/[^a-z0-9]/gi, '')}`;
    const search = (path: string, headers: Record<string, string> = {}) => fetch(`${gateway}${path}`, { headers }).then((r) => r.status);
    expect(await search(`/v1/search?q=${query}`)).toBe(200);
    expect(await search(`/v1/search?q=${query}&e2e=1`)).toBe(200);
    expect(await search(`/v1/search?q=${query}`, { 'x-bursary-test': '1' })).toBe(200);
    const sql = postgres(`postgres://postgres@127.0.0.1:${stack.postgres.port}/bursary`, { max: 1, onnotice: () => undefined });
    try {
      const rows = () => sql<{ test: boolean }[]>`select test from catalog.funnel_events where type = 'search_performed' and query = ${query} order by id`;
      await waitFor(async () => (await rows()).length === 3, { what: 'three funnel events' });
      expect((await rows()).map((row) => row.test)).toEqual([false, true, true]);
    } finally {
      await sql.end();
    }
  });
});
