import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asProvider, asStudent, inDays, startCatalog, type CatalogHarness } from './support/catalog-app.js';

const DRAFT = {
  title: 'Gulf Coast Nursing Scholarship',
  providerName: 'Gulf Coast Health Foundation',
  summary: 'For nursing students from the Gulf Coast who plan to work in rural clinics.',
  description: 'The Gulf Coast Health Foundation funds two nursing students every year. Recipients commit to a summer placement in a rural clinic.',
  award: { minMinor: 200_000, maxMinor: 500_000, currency: 'USD' },
  awardsCount: 2,
  deadline: inDays(45),
  renewable: true,
  essayRequired: true,
  applicationUrl: 'https://gulfcoast.example/apply',
  eligibility: { minGpa: 3, educationLevels: ['undergraduate'], fieldsOfStudy: ['51.3801'], states: ['TX', 'LA'], citizenship: ['us_citizen'], needBased: true },
};

describe('provider portal (R-CAT-3)', () => {
  let h: CatalogHarness;
  beforeAll(async () => {
    h = await startCatalog();
  });
  afterAll(async () => h?.close());

  const events = async (scholarshipId: string) =>
    (await h.admin<Array<{ type: string }>>`select type from catalog.outbox where envelope->'data'->>'scholarshipId' = ${scholarshipId} order by seq`).map((row) => row.type);

  it('R-CAT-3: a provider creates a draft, edits, publishes and closes it; each step is an outbox event (R-EVT-1)', async () => {
    const created = await h.app.inject({ method: 'POST', url: '/v1/provider/scholarships', headers: asProvider('org-gulf'), payload: DRAFT });
    expect(created.statusCode).toBe(201);
    const draft = created.json();
    expect(created.headers['location']).toBe(`/v1/provider/scholarships/${draft.id}`);
    expect(draft).toMatchObject({
      status: 'draft',
      title: DRAFT.title,
      slug: expect.stringMatching(/^gulf-coast-nursing-scholarship-[a-z0-9]{7}$/),
      provider: { id: 'org-gulf', name: 'Gulf Coast Health Foundation' },
      award: { minMinor: 200_000, maxMinor: 500_000, currency: 'USD' },
      eligibility: { minGpa: 3, fieldsOfStudy: ['51.3801'], states: ['TX', 'LA'], needBased: true },
      publishedAt: null,
    });
    // A draft is not public.
    expect((await h.app.inject({ url: `/v1/scholarships/${draft.id}` })).statusCode).toBe(404);

    const edited = await h.app.inject({ method: 'PATCH', url: `/v1/provider/scholarships/${draft.id}`, headers: asProvider('org-gulf'), payload: { award: { maxMinor: 600_000 } } });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().award).toEqual({ minMinor: 200_000, maxMinor: 600_000, currency: 'USD' });

    const published = await h.app.inject({ method: 'POST', url: `/v1/provider/scholarships/${draft.id}/publish`, headers: asProvider('org-gulf') });
    expect(published.statusCode).toBe(200);
    expect(published.json()).toMatchObject({ status: 'published', publishedAt: expect.any(String), verifiedAt: expect.any(String) });
    const again = await h.app.inject({ method: 'POST', url: `/v1/provider/scholarships/${draft.id}/publish`, headers: asProvider('org-gulf') });
    expect(again.statusCode).toBe(200);
    expect((await h.app.inject({ url: `/v1/scholarships/${draft.id}` })).statusCode).toBe(200);

    const closed = await h.app.inject({ method: 'POST', url: `/v1/provider/scholarships/${draft.id}/close`, headers: asProvider('org-gulf') });
    expect(closed.json()).toMatchObject({ status: 'closed' });
    const editClosed = await h.app.inject({ method: 'PATCH', url: `/v1/provider/scholarships/${draft.id}`, headers: asProvider('org-gulf'), payload: { title: 'Renamed' } });
    expect(editClosed.statusCode).toBe(409);
    expect(editClosed.json()).toMatchObject({ code: 'CATALOG_LISTING_CLOSED' });

    // Publishing twice wrote one event: the second publish changed nothing.
    expect(await events(draft.id)).toEqual(['catalog.scholarship.created.v1', 'catalog.scholarship.updated.v1', 'catalog.scholarship.published.v1', 'catalog.scholarship.closed.v1']);
    const [envelope] = await h.admin<Array<{ envelope: { data: unknown; subject: string } }>>`
      select envelope from catalog.outbox where type = 'catalog.scholarship.published.v1' and envelope->>'subject' = ${draft.id}`;
    expect(envelope!.envelope.data).toEqual({ scholarshipId: draft.id, providerOrgId: 'org-gulf', slug: draft.slug });
  });

  it('R-CAT-3: a listing is managed by its own organization only; other organizations and students cannot see or touch it', async () => {
    const created = (await h.app.inject({ method: 'POST', url: '/v1/provider/scholarships', headers: asProvider('org-own'), payload: { title: 'Own Org Award' } })).json();
    for (const [method, url] of [
      ['GET', `/v1/provider/scholarships/${created.id}`],
      ['PATCH', `/v1/provider/scholarships/${created.id}`],
      ['POST', `/v1/provider/scholarships/${created.id}/publish`],
      ['POST', `/v1/provider/scholarships/${created.id}/close`],
    ] as const) {
      const response = await h.app.inject({ method, url, headers: asProvider('org-other'), ...(method === 'PATCH' ? { payload: { title: 'Hijacked' } } : {}) });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json()).toMatchObject({ code: 'CATALOG_SCHOLARSHIP_NOT_FOUND' });
    }
    const mine = (await h.app.inject({ url: '/v1/provider/scholarships', headers: asProvider('org-own') })).json();
    expect(mine.items.map((item: { id: string }) => item.id)).toContain(created.id);
    const theirs = (await h.app.inject({ url: '/v1/provider/scholarships', headers: asProvider('org-other') })).json();
    expect(theirs.items).toEqual([]);

    const student = await h.app.inject({ url: '/v1/provider/scholarships', headers: asStudent('student-1') });
    expect(student.statusCode).toBe(403);
    expect(student.json()).toMatchObject({ code: 'AUTH_FORBIDDEN' });
    const anonymous = await h.app.inject({ url: '/v1/provider/scholarships' });
    expect(anonymous.statusCode).toBe(401);
    const noOrg = await h.app.inject({ url: '/v1/provider/scholarships', headers: { 'x-bursary-user-id': 'p-1', 'x-bursary-roles': 'provider' } });
    expect(noOrg.json()).toMatchObject({ status: 403, code: 'CATALOG_PROVIDER_ORG_MISSING' });
  });

  it('R-CAT-3: validation names every failing field: schema errors, listing rules, and what publishing needs', async () => {
    const bad = await h.app.inject({
      method: 'POST',
      url: '/v1/provider/scholarships',
      headers: asProvider('org-v'),
      payload: { title: 'x', eligibility: { fieldsOfStudy: ['99.9999'] }, applicationUrl: 'javascript:alert(1)' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });

    const rules = await h.app.inject({
      method: 'POST',
      url: '/v1/provider/scholarships',
      headers: asProvider('org-v'),
      payload: { title: 'Backwards Award', award: { minMinor: 500_000, maxMinor: 100_000 }, deadline: inDays(-3) },
    });
    expect(rules.statusCode).toBe(400);
    expect(rules.json()).toMatchObject({ code: 'CATALOG_INVALID_LISTING' });
    expect(rules.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['/body/award/minMinor', '/body/deadline']);

    const draft = (await h.app.inject({ method: 'POST', url: '/v1/provider/scholarships', headers: asProvider('org-v'), payload: { title: 'Bare Draft' } })).json();
    const publish = await h.app.inject({ method: 'POST', url: `/v1/provider/scholarships/${draft.id}/publish`, headers: asProvider('org-v') });
    expect(publish.statusCode).toBe(422);
    expect(publish.json()).toMatchObject({ code: 'CATALOG_LISTING_INCOMPLETE' });
    expect(publish.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['/applicationUrl', '/award/maxMinor', '/deadline', '/description', '/summary']);
    expect(await events(draft.id)).toEqual(['catalog.scholarship.created.v1']);
  });
});
