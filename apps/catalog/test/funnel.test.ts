import { waitFor } from '@bursary/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asStudent, inDays, publishListing, startCatalog, type CatalogHarness } from './support/catalog-app.js';

interface FunnelRow {
  type: string;
  user_id: string | null;
  scholarship_id: string | null;
  query: string | null;
  result_count: number | null;
  source: string;
  test: boolean;
}

describe('funnel analytics (R-OPS-6)', () => {
  let h: CatalogHarness;
  let id: string;
  let slug: string;
  beforeAll(async () => {
    h = await startCatalog();
    ({ id, slug } = await publishListing(h.app, 'org-funnel', { title: 'Funnel Falls Scholarship', deadline: inDays(30) }));
  });
  afterAll(async () => h?.close());

  const rows = () => h.admin<FunnelRow[]>`select type, user_id, scholarship_id, query, result_count, source, test from catalog.funnel_events order by id`;

  it('R-OPS-6: search, view, shortlist and application start are recorded once each; test traffic is tagged and left out of analytics', async () => {
    const student = asStudent('funnel-student');
    await h.app.inject({ url: '/v1/search?q=funnel' });
    await h.app.inject({ url: '/v1/search?q=funnel&e2e=1' });
    await h.app.inject({ url: '/v1/scholarships?q=falls', headers: { 'x-bursary-test': '1' } });
    await h.app.inject({ url: `/v1/scholarships/${id}` });
    await h.app.inject({ url: `/scholarships/${slug}?e2e=1` });
    for (let i = 0; i < 2; i++) {
      await h.app.inject({ method: 'PUT', url: `/v1/shortlist/${id}`, headers: student });
      await h.app.inject({ method: 'POST', url: '/v1/applications', headers: student, payload: { scholarshipId: id } });
    }
    const recorded = await waitFor(async () => {
      const all = await rows();
      return all.length >= 7 ? all : undefined;
    }, { what: 'funnel events written' });
    expect(recorded).toEqual([
      { type: 'search_performed', user_id: null, scholarship_id: null, query: 'funnel', result_count: 1, source: 'api', test: false },
      { type: 'search_performed', user_id: null, scholarship_id: null, query: 'funnel', result_count: 1, source: 'api', test: true },
      { type: 'search_performed', user_id: null, scholarship_id: null, query: 'falls', result_count: 1, source: 'api', test: true },
      { type: 'scholarship_viewed', user_id: null, scholarship_id: id, query: null, result_count: null, source: 'api', test: false },
      { type: 'scholarship_viewed', user_id: null, scholarship_id: id, query: null, result_count: null, source: 'page', test: true },
      { type: 'shortlist_added', user_id: 'funnel-student', scholarship_id: id, query: null, result_count: null, source: 'api', test: false },
      { type: 'application_started', user_id: 'funnel-student', scholarship_id: id, query: null, result_count: null, source: 'api', test: false },
    ]);
    const analytics = await h.admin<Array<{ type: string; n: number }>>`select type, count(*)::int as n from catalog.funnel_analytics group by type order by type`;
    expect(analytics).toEqual([
      { type: 'application_started', n: 1 },
      { type: 'scholarship_viewed', n: 1 },
      { type: 'search_performed', n: 1 },
      { type: 'shortlist_added', n: 1 },
    ]);
    const metrics = await h.app.serviceMetrics.registry.getSingleMetricAsString('catalog_funnel_events_total');
    expect(metrics).toMatch(/catalog_funnel_events_total\{type="search_performed",traffic="test"[^}]*\} 2/);
  });

  it('R-OPS-6: events still buffered at shutdown are written before the pool closes', async () => {
    const other = await startCatalog({ FUNNEL_FLUSH_INTERVAL_MS: '60000' });
    try {
      const listing = await publishListing(other.app, 'org-funnel', { title: 'Shutdown Scholarship', deadline: inDays(30) });
      await other.app.inject({ url: `/v1/scholarships/${listing.id}` });
      await other.app.close();
      const [row] = await other.admin<Array<{ n: number }>>`select count(*)::int as n from catalog.funnel_events where scholarship_id = ${listing.id}`;
      expect(row!.n).toBe(1);
    } finally {
      await other.admin.end();
      await other.database.drop();
    }
  });
});
