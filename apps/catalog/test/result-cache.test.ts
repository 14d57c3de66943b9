import type { ServiceInstance } from '@bursary/service-kit';
import { serviceTestEnv, waitFor } from '@bursary/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadCatalogConfig } from '../src/config.js';
import { asProvider, inDays, publishListing, startCatalog, type CatalogHarness } from './support/catalog-app.js';

const total = async (app: ServiceInstance, q: string) => (await app.inject({ url: `/v1/search?q=${q}` })).json<{ total: number }>().total;

describe('search result cache (R-CAT-5) never hides a change', () => {
  let h: CatalogHarness;
  let second: ServiceInstance;
  beforeAll(async () => {
    h = await startCatalog({ LISTING_GENERATION_POLL_MS: '50' });
    // A second instance over the same database, as in a scaled-out deployment.
    second = await buildApp(loadCatalogConfig(serviceTestEnv({ DATABASE_URL: h.database.urlFor('catalog'), LISTING_GENERATION_POLL_MS: '50', SHED_MAX_EVENT_LOOP_DELAY_MS: '0' })));
    await waitFor(async () => (await second.inject({ url: '/readyz' })).statusCode === 200, { what: 'second instance ready' });
  });
  afterAll(async () => {
    await second?.close();
    await h?.close();
  });

  it('R-CAT-5: a repeated search is served from memory, and a listing published on this instance is found at once', async () => {
    await publishListing(h.app, 'org-cache', { title: 'Quasar Astronomy Scholarship', deadline: inDays(30) });
    const hits = async () => Number(/result="hit"[^}]*\} (\d+)/.exec(await h.app.serviceMetrics.registry.getSingleMetricAsString('catalog_result_cache_lookups_total'))?.[1] ?? 0);
    const titles = async () => (await h.app.inject({ url: '/v1/search?q=quasar' })).json<{ items: Array<{ title: string }> }>().items.map((item) => item.title);
    // Once the generation poll has caught up with the publish, the same search is a cache hit.
    await waitFor(async () => {
      const before = await hits();
      await titles();
      return (await hits()) > before;
    }, { what: 'a cache hit' });
    // A row changed behind the service's back (triggers off, so no generation bump) stays invisible while the cache is valid…
    const sql = postgres(h.database.adminUrl, { max: 1, onnotice: () => undefined });
    try {
      await sql`select set_config('session_replication_role', 'replica', false)`;
      await sql`update catalog.scholarships set title = 'Quasar Renamed Quietly' where title = 'Quasar Astronomy Scholarship'`;
    } finally {
      await sql.end();
    }
    expect(await titles()).toEqual(['Quasar Astronomy Scholarship']);
    // …and a change through the service is visible at once.
    await publishListing(h.app, 'org-cache', { title: 'Quasar Research Grant', deadline: inDays(30) });
    expect((await titles()).sort()).toEqual(['Quasar Renamed Quietly', 'Quasar Research Grant']);
  });

  it('R-CAT-5: another instance drops its cached results when listings change (listing generation poll)', async () => {
    expect(await total(second, 'pulsar')).toBe(0);
    await publishListing(h.app, 'org-cache', { title: 'Pulsar Physics Prize', deadline: inDays(30) });
    await waitFor(async () => (await total(second, 'pulsar')) === 1, { what: 'the second instance to see the new listing', timeoutMs: 5_000 });
    const closedId = (await second.inject({ url: '/v1/search?q=pulsar' })).json<{ items: Array<{ id: string }> }>().items[0]!.id;
    await h.app.inject({ method: 'POST', url: `/v1/provider/scholarships/${closedId}/close`, headers: asProvider('org-cache') });
    await waitFor(async () => (await total(second, 'pulsar')) === 0, { what: 'the second instance to drop the closed listing', timeoutMs: 5_000 });
  });
});
