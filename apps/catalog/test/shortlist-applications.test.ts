import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asProvider, asStudent, inDays, publishListing, startCatalog, type CatalogHarness } from './support/catalog-app.js';

describe('shortlist and applications (R-CAT-2)', () => {
  let h: CatalogHarness;
  let open: string;
  let closed: string;
  beforeAll(async () => {
    h = await startCatalog();
    open = (await publishListing(h.app, 'org-apply', { title: 'Apply Here Scholarship', deadline: inDays(30) })).id;
    closed = (await publishListing(h.app, 'org-apply', { title: 'Too Late Scholarship', deadline: inDays(30) })).id;
  });
  afterAll(async () => h?.close());

  it('R-CAT-2: a student shortlists a scholarship once however often it is added, lists and removes it', async () => {
    const student = asStudent('student-short');
    const first = await h.app.inject({ method: 'PUT', url: `/v1/shortlist/${open}`, headers: student });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({ scholarshipId: open, added: true });
    const second = await h.app.inject({ method: 'PUT', url: `/v1/shortlist/${open}`, headers: student });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual({ scholarshipId: open, added: false });

    const list = (await h.app.inject({ url: '/v1/shortlist', headers: student })).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ scholarship: { id: open, title: 'Apply Here Scholarship' }, addedAt: expect.any(String) });
    // Another student's shortlist is their own.
    expect((await h.app.inject({ url: '/v1/shortlist', headers: asStudent('someone-else') })).json().items).toEqual([]);

    expect((await h.app.inject({ method: 'DELETE', url: `/v1/shortlist/${open}`, headers: student })).statusCode).toBe(204);
    expect((await h.app.inject({ method: 'DELETE', url: `/v1/shortlist/${open}`, headers: student })).statusCode).toBe(204);
    expect((await h.app.inject({ url: '/v1/shortlist', headers: student })).json().items).toEqual([]);

    expect((await h.app.inject({ method: 'PUT', url: '/v1/shortlist/00000000-0000-4000-8000-000000000000', headers: student })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'PUT', url: '/v1/shortlist/not-a-uuid', headers: student })).statusCode).toBe(400);
    expect((await h.app.inject({ method: 'PUT', url: `/v1/shortlist/${open}` })).statusCode).toBe(401);
  });

  it('R-CAT-2: starting an application is idempotent per student and scholarship, even when the requests race', async () => {
    const student = asStudent('student-apply');
    const start = () => h.app.inject({ method: 'POST', url: '/v1/applications', headers: student, payload: { scholarshipId: open } });
    const results = await Promise.all([start(), start(), start(), start(), start()]);
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 201]);
    const applicationIds = new Set(results.map((r) => r.json().id));
    expect(applicationIds.size).toBe(1);
    const application = results[0]!.json();
    expect(application).toMatchObject({ scholarshipId: open, status: 'started', startedAt: expect.any(String), updatedAt: expect.any(String), submittedAt: null, scholarship: { id: open } });

    const again = await start();
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(application.id);

    const [count] = await h.admin<Array<{ n: number }>>`select count(*)::int as n from catalog.applications where user_id = 'student-apply'`;
    expect(count!.n).toBe(1);
    const events = await h.admin<Array<{ data: Record<string, string> }>>`select envelope->'data' as data from catalog.outbox where type = 'catalog.application.started.v1'`;
    expect(events.map((e) => e.data)).toEqual([{ applicationId: application.id, scholarshipId: open, providerOrgId: 'org-apply', userId: 'student-apply' }]);

    expect((await h.app.inject({ url: '/v1/applications', headers: student })).json().items.map((a: { id: string }) => a.id)).toEqual([application.id]);
    expect((await h.app.inject({ url: `/v1/applications/${application.id}`, headers: student })).statusCode).toBe(200);
    expect((await h.app.inject({ url: `/v1/applications/${application.id}`, headers: asStudent('not-the-owner') })).statusCode).toBe(404);
  });

  it('R-CAT-2: no application for a closed or unknown scholarship; an existing one is still returned after closing', async () => {
    const student = asStudent('student-late');
    const before = await h.app.inject({ method: 'POST', url: '/v1/applications', headers: student, payload: { scholarshipId: closed } });
    expect(before.statusCode).toBe(201);
    await h.app.inject({ method: 'POST', url: `/v1/provider/scholarships/${closed}/close`, headers: asProvider('org-apply') });
    const replay = await h.app.inject({ method: 'POST', url: '/v1/applications', headers: student, payload: { scholarshipId: closed } });
    expect(replay.statusCode).toBe(200);
    expect(replay.json().id).toBe(before.json().id);
    const refused = await h.app.inject({ method: 'POST', url: '/v1/applications', headers: asStudent('student-later'), payload: { scholarshipId: closed } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'CATALOG_SCHOLARSHIP_NOT_OPEN' });
    const unknown = await h.app.inject({ method: 'POST', url: '/v1/applications', headers: student, payload: { scholarshipId: '00000000-0000-4000-8000-000000000000' } });
    expect(unknown.statusCode).toBe(404);
  });
});
