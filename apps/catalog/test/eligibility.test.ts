import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateEligibility } from '../src/modules/eligibility/evaluate-eligibility.js';
import { asStudent, inDays, publishListing, startCatalog, type CatalogHarness } from './support/catalog-app.js';

const CRITERIA = {
  minGpa: 3.5,
  educationLevels: ['undergraduate'],
  fieldsOfStudy: ['51.3801'],
  states: ['TX'],
  citizenship: ['us_citizen', 'permanent_resident'],
  demographicTags: ['first_generation'],
  needBased: true,
  meritBased: true,
};

describe('eligibility per criterion (R-CAT-1)', () => {
  const listing = { status: 'published', deadline: '2030-01-31', eligibility: CRITERIA };
  const today = '2029-06-01';

  it('R-CAT-1: every restricted criterion is eligible, ineligible or unknown with a reason', () => {
    const result = evaluateEligibility(listing, { gpa: 3.2, educationLevel: 'undergraduate', fieldsOfStudy: ['51.3801'], state: 'CA', financialNeed: true }, today);
    const by = Object.fromEntries(result.criteria.map((c) => [c.criterion, c]));
    expect(by['deadline']).toMatchObject({ status: 'eligible' });
    expect(by['minGpa']).toMatchObject({ status: 'ineligible', reason: 'Requires a GPA of at least 3.50; yours is 3.20.' });
    expect(by['educationLevel']).toMatchObject({ status: 'eligible' });
    expect(by['fieldOfStudy']).toMatchObject({ status: 'eligible', reason: 'Your field of study (Nursing) qualifies.' });
    expect(by['residency']).toMatchObject({ status: 'ineligible', reason: 'Open only to Texas; your state of residence is California.' });
    expect(by['citizenship']).toMatchObject({ status: 'unknown', profileField: 'citizenship' });
    expect(by['demographic']).toMatchObject({ status: 'unknown', profileField: 'demographicTags' });
    expect(by['financialNeed']).toMatchObject({ status: 'eligible' });
    expect(result.status).toBe('ineligible');
    expect(result.missingProfileFields).toEqual(['citizenship', 'demographicTags']);
  });

  it('R-CAT-1: an incomplete profile is "unknown" (complete your profile), a complete matching one eligible', () => {
    expect(evaluateEligibility(listing, {}, today)).toMatchObject({
      status: 'unknown',
      missingProfileFields: ['gpa', 'educationLevel', 'fieldsOfStudy', 'state', 'citizenship', 'demographicTags', 'financialNeed'],
    });
    const full = { gpa: 3.9, educationLevel: 'undergraduate', fieldsOfStudy: ['51.3801', '51.2201'], state: 'TX', citizenship: 'us_citizen', demographicTags: ['first_generation'], financialNeed: true };
    expect(evaluateEligibility(listing, full, today)).toMatchObject({ status: 'eligible', missingProfileFields: [] });
    expect(evaluateEligibility({ ...listing, deadline: '2029-05-31' }, full, today).status).toBe('ineligible');
    expect(evaluateEligibility({ ...listing, status: 'closed' }, full, today).status).toBe('ineligible');
    // No restrictions at all: eligible with nothing to ask.
    const open = { status: 'published', deadline: null, eligibility: { minGpa: null, educationLevels: [], fieldsOfStudy: [], states: [], citizenship: [], demographicTags: [], needBased: false, meritBased: false } };
    expect(evaluateEligibility(open, {}, today)).toEqual({ status: 'eligible', criteria: [], missingProfileFields: [] });
  });
});

describe('eligibility, profile and recommendations over HTTP (R-CAT-1)', () => {
  let h: CatalogHarness;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    h = await startCatalog();
    const add = async (key: string, fixture: Parameters<typeof publishListing>[2]) => {
      ids[key] = (await publishListing(h.app, 'org-elig', fixture)).id;
    };
    await add('strict', { title: 'Texas First-Gen Nursing Award', deadline: inDays(30), eligibility: CRITERIA });
    await add('nursing', { title: 'National Nursing Scholarship', deadline: inDays(60), eligibility: { fieldsOfStudy: ['51.3801'] } });
    await add('open', { title: 'Open Door Scholarship', deadline: inDays(20) });
    await add('california', { title: 'California Nursing Grant', deadline: inDays(25), eligibility: { fieldsOfStudy: ['51.3801'], states: ['CA'] } });
    await add('law', { title: 'Future Lawyers Award', deadline: inDays(25), eligibility: { fieldsOfStudy: ['22.0101'] } });
  });
  afterAll(async () => h?.close());

  it('R-CAT-1: POST /v1/eligibility answers per criterion for a profile sent in the body (public route)', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/v1/eligibility',
      payload: { scholarshipId: ids['strict'], profile: { gpa: 3.8, educationLevel: 'undergraduate', fieldsOfStudy: ['51.3801'], state: 'TX' } },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ scholarshipId: ids['strict'], status: 'unknown', missingProfileFields: ['citizenship', 'demographicTags', 'financialNeed'] });
    expect(body.criteria.map((c: { criterion: string; status: string }) => `${c.criterion}:${c.status}`)).toEqual([
      'deadline:eligible',
      'minGpa:eligible',
      'educationLevel:eligible',
      'fieldOfStudy:eligible',
      'residency:eligible',
      'citizenship:unknown',
      'demographic:unknown',
      'financialNeed:unknown',
    ]);
    for (const [profile, field] of [[{ gpa: 7 }, '/body/profile/gpa'], [{ state: 'Texas' }, '/body/profile/state'], [{ shoeSize: 9 }, '/body/profile']] as const) {
      const bad = await h.app.inject({ method: 'POST', url: '/v1/eligibility', payload: { scholarshipId: ids['strict'], profile } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(bad.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const missing = await h.app.inject({ method: 'POST', url: '/v1/eligibility', payload: { scholarshipId: '00000000-0000-4000-8000-000000000000', profile: {} } });
    expect(missing.statusCode).toBe(404);
  });

  it('R-CAT-1: a signed-in student stores a profile and gets recommendations with a match score and the reasons', async () => {
    const student = asStudent('student-rec');
    expect((await h.app.inject({ url: '/v1/profile', headers: student })).json()).toEqual({});
    const put = await h.app.inject({ method: 'PUT', url: '/v1/profile', headers: student, payload: { gpa: 3.9, educationLevel: 'undergraduate', fieldsOfStudy: ['51.3801'], state: 'TX' } });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ gpa: 3.9, state: 'TX', citizenship: null });

    const response = await h.app.inject({ url: '/v1/recommendations', headers: student });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    const order = body.items.map((item: { scholarship: { id: string } }) => item.scholarship.id);
    // California and law are ruled out; nursing listings beat the one open to everyone.
    expect(order).not.toContain(ids['california']);
    expect(order).not.toContain(ids['law']);
    expect(order.indexOf(ids['nursing'])).toBeLessThan(order.indexOf(ids['open']));
    const nursing = body.items.find((item: { scholarship: { id: string } }) => item.scholarship.id === ids['nursing']);
    expect(nursing).toMatchObject({ eligibility: 'eligible', matchScore: expect.any(Number) });
    expect(nursing.reasons).toContain('Your field of study (Nursing) qualifies.');
    const strict = body.items.find((item: { scholarship: { id: string } }) => item.scholarship.id === ids['strict']);
    expect(strict).toMatchObject({ eligibility: 'unknown' });
    expect(strict.reasons.join(' ')).toMatch(/citizenship/);
    expect(body.missingProfileFields).toEqual(['citizenship', 'demographicTags', 'financialNeed']);

    expect((await h.app.inject({ url: '/v1/recommendations' })).statusCode).toBe(401);
    const invalid = await h.app.inject({ method: 'PUT', url: '/v1/profile', headers: student, payload: { fieldsOfStudy: ['nursing'] } });
    expect(invalid.statusCode).toBe(400);
  });
});
