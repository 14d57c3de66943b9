import { serviceTestEnv } from '@bursary/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadCatalogConfig } from '../src/config.js';
import { asProvider, inDays, publishListing, SITE, startCatalog, type CatalogHarness } from './support/catalog-app.js';

const jsonLd = (html: string) => JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!);

describe('SEO pages, robots.txt and the sitemap (R-CAT-4, R-HDR-1)', () => {
  let h: CatalogHarness;
  const slugs: string[] = [];
  let listing: { id: string; slug: string };
  beforeAll(async () => {
    h = await startCatalog({ SITEMAP_URLS_PER_FILE: '2', PAGE_MAX_AGE_S: '600' });
    listing = await publishListing(h.app, 'org-seo', {
      title: 'Evergreen </script><script>alert(1)</script> Forestry Scholarship',
      providerName: 'Evergreen Trust',
      summary: 'For forestry students who want to protect the old-growth forests of the Pacific Northwest, and who have already volunteered with a land trust or a park service for at least one season.',
      award: { minMinor: 250_000, maxMinor: 750_000, currency: 'USD' },
      deadline: inDays(50),
    });
    slugs.push(listing.slug);
    for (let i = 0; i < 4; i++) slugs.push((await publishListing(h.app, 'org-seo', { title: `Sitemap Scholarship ${i}`, deadline: inDays(20) })).slug);
    await h.app.inject({ method: 'POST', url: '/v1/provider/scholarships', headers: asProvider('org-seo'), payload: { title: 'Draft Not In Sitemap' } });
  });
  afterAll(async () => h?.close());

  it('R-CAT-4: a landing page is server-rendered HTML with canonical link, meta description and MonetaryGrant JSON-LD, publicly cacheable', async () => {
    const page = await h.app.inject({ url: `/scholarships/${listing.slug}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('public, max-age=600, stale-while-revalidate=86400');
    expect(String(page.headers['cache-control'])).not.toMatch(/no-store/);
    expect(page.headers['etag']).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(new Date(String(page.headers['last-modified'])).getTime()).toBeGreaterThan(0);
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'self'/);
    const html = page.body;
    expect(html).toContain(`<link rel="canonical" href="${SITE}/scholarships/${listing.slug}">`);
    const description = /<meta name="description" content="([^"]*)">/.exec(html)![1]!;
    expect(description.length).toBeLessThanOrEqual(160);
    expect(description).toMatch(/^For forestry students who want to protect the old-growth forests/);
    // Listing text never becomes markup: not in the body, not in the JSON-LD block.
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(jsonLd(html)).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'MonetaryGrant',
      url: `${SITE}/scholarships/${listing.slug}`,
      name: 'Evergreen </script><script>alert(1)</script> Forestry Scholarship',
      funder: { '@type': 'Organization', name: 'Evergreen Trust' },
      amount: { '@type': 'MonetaryAmount', currency: 'USD', minValue: 2500, maxValue: 7500 },
    });
    expect(html).toContain('$2,500 – $7,500');
  });

  it('R-CAT-4: ETag and Last-Modified revalidate to 304; an edit changes the page', async () => {
    const url = `/scholarships/${listing.slug}`;
    const first = await h.app.inject({ url });
    const etag = String(first.headers['etag']);
    const byEtag = await h.app.inject({ url, headers: { 'if-none-match': etag } });
    expect(byEtag.statusCode).toBe(304);
    expect(byEtag.body).toBe('');
    expect(byEtag.headers['cache-control']).toMatch(/^public/);
    const bySince = await h.app.inject({ url, headers: { 'if-modified-since': String(first.headers['last-modified']) } });
    expect(bySince.statusCode).toBe(304);
    expect((await h.app.inject({ url, headers: { 'if-none-match': '"stale"' } })).statusCode).toBe(200);
    // What browsers' fetch sends with a conditional request: Cache-Control is for caches, the origin still answers 304.
    expect((await h.app.inject({ url, headers: { 'if-none-match': `"stale", W/${etag}`, 'cache-control': 'no-cache', pragma: 'no-cache' } })).statusCode).toBe(304);
    // If-None-Match decides when both are sent.
    expect((await h.app.inject({ url, headers: { 'if-none-match': '"stale"', 'if-modified-since': String(first.headers['last-modified']) } })).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'HEAD', url })).statusCode).toBe(200);

    await h.app.inject({ method: 'PATCH', url: `/v1/provider/scholarships/${listing.id}`, headers: asProvider('org-seo'), payload: { awardsCount: 3 } });
    const edited = await h.app.inject({ url, headers: { 'if-none-match': etag } });
    expect(edited.statusCode).toBe(200);
    expect(edited.body).toContain('(3 awards)');
  });

  it('R-CAT-4: an unknown page is a 404 problem (never cached); a closed listing keeps its page', async () => {
    const missing = await h.app.inject({ url: '/scholarships/no-such-scholarship' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(missing.headers['cache-control']).toBe('no-store');
    const closed = await publishListing(h.app, 'org-seo-closed', { title: 'Closed Page Scholarship', deadline: inDays(20) });
    await h.app.inject({ method: 'POST', url: `/v1/provider/scholarships/${closed.id}/close`, headers: asProvider('org-seo-closed') });
    const page = await h.app.inject({ url: `/scholarships/${closed.slug}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('This scholarship is closed');
    expect(page.body).not.toContain('Apply on the provider');
  });

  it('R-CAT-4: sitemap.xml is an index over sitemaps of at most SITEMAP_URLS_PER_FILE URLs, covering every published page once', async () => {
    const index = await h.app.inject({ url: '/sitemap.xml' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(index.headers['cache-control']).toMatch(/^public, max-age=600/);
    const parts = [...index.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);
    expect(index.body).toContain('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    // Every published page (closed ones leave the sitemap), 2 per file.
    const published = (await h.admin<Array<{ slug: string }>>`select slug from catalog.scholarships where status = 'published'`).map((r) => `${SITE}/scholarships/${r.slug}`);
    expect(parts).toEqual(Array.from({ length: Math.ceil(published.length / 2) }, (_, i) => `${SITE}/sitemap-scholarships-${i + 1}.xml`));
    const urls: string[] = [];
    for (const part of parts) {
      const file = await h.app.inject({ url: new URL(part).pathname });
      expect(file.statusCode).toBe(200);
      const locs = [...file.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);
      expect(locs.length).toBeLessThanOrEqual(2);
      expect(file.body).toMatch(/<lastmod>\d{4}-\d{2}-\d{2}T/);
      urls.push(...locs);
      const revalidated = await h.app.inject({ url: new URL(part).pathname, headers: { 'if-none-match': String(file.headers['etag']) } });
      expect(revalidated.statusCode).toBe(304);
    }
    expect(urls.sort()).toEqual(published.sort());
    for (const slug of slugs) expect(urls).toContain(`${SITE}/scholarships/${slug}`);
    expect((await h.app.inject({ url: `/sitemap-scholarships-${parts.length + 1}.xml` })).statusCode).toBe(404);
    expect((await h.app.inject({ url: '/sitemap-scholarships-0.xml' })).statusCode).toBe(400);
  });

  it('R-CAT-4: robots.txt points at the sitemap and is served from memory while the database is down', async () => {
    const down = await buildApp(loadCatalogConfig(serviceTestEnv({ DATABASE_URL: 'postgres://bursary_catalog:x@127.0.0.1:1/none', DATABASE_CONNECT_TIMEOUT_S: '1', PUBLIC_SITE_URL: SITE })));
    try {
      expect((await down.inject({ url: '/readyz' })).statusCode).toBe(503);
      const robots = await down.inject({ url: '/robots.txt' });
      expect(robots.statusCode).toBe(200);
      expect(robots.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(robots.headers['cache-control']).toMatch(/^public, max-age=86400/);
      expect(robots.body).toContain(`Sitemap: ${SITE}/sitemap.xml`);
      expect(robots.body).toContain('Disallow: /v1/');
      expect((await down.inject({ url: '/robots.txt', headers: { 'if-none-match': String(robots.headers['etag']) } })).statusCode).toBe(304);
    } finally {
      await down.close();
    }
  });
});
