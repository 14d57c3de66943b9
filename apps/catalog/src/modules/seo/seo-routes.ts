import type { ServiceInstance } from '@bursary/service-kit';
import { Type } from 'typebox';
import { CatalogErrors } from '../catalog-errors.js';
import type { DiscoveryService } from '../discovery/discovery-service.js';
import { isTestTraffic } from '../funnel/test-traffic.js';
import { problems } from '../http-schemas.js';
import { sendCacheable } from './cacheable-response.js';
import { renderLandingPage } from './landing-page.js';
import { robotsTxt } from './robots.js';
import type { Sitemap } from './sitemap.js';

export interface SeoRoutesOptions {
  discovery: DiscoveryService;
  sitemap: Sitemap;
  siteUrl: string;
  pageMaxAgeSeconds: number;
}

const ROBOTS_MAX_AGE_S = 86_400;
const page = { tags: ['pages'], produces: ['text/html'] };

/**
 * The public pages (R-CAT-4): server-rendered scholarship pages, robots.txt
 * and the sitemap index. All cacheable by anyone (Cache-Control public,
 * ETag, Last-Modified, 304), never no-store (R-HDR-1).
 */
export async function seoRoutes(app: ServiceInstance, options: SeoRoutesOptions): Promise<void> {
  const { discovery, sitemap, siteUrl, pageMaxAgeSeconds } = options;
  const robots = robotsTxt(siteUrl);
  const bootTime = new Date();

  app.get('/robots.txt', { schema: { ...page, summary: 'robots.txt (from memory)', produces: ['text/plain'] } }, async (request, reply) =>
    sendCacheable(request, reply, { body: robots, contentType: 'text/plain; charset=utf-8', lastModified: bootTime, maxAgeSeconds: ROBOTS_MAX_AGE_S }),
  );

  app.get('/sitemap.xml', { schema: { ...page, summary: 'The sitemap index', produces: ['application/xml'] } }, async (request, reply) => {
    const parts = await sitemap.parts();
    const lastModified = new Date(Math.max(...parts.map((p) => p.lastModified.getTime())));
    return sendCacheable(request, reply, { body: sitemap.renderIndex(parts), contentType: 'application/xml; charset=utf-8', lastModified, maxAgeSeconds: pageMaxAgeSeconds });
  });

  app.get(
    '/sitemap-scholarships-:part(^\\d{1,6}).xml',
    { schema: { ...page, summary: 'One sitemap of at most 50,000 scholarship pages', produces: ['application/xml'], params: Type.Object({ part: Type.Integer({ minimum: 1 }) }), response: problems(400, 404) } },
    async (request, reply) => {
      const file = await sitemap.renderPart(request.params.part);
      if (!file) throw CatalogErrors.CATALOG_SCHOLARSHIP_NOT_FOUND({ detail: `There is no sitemap part ${request.params.part}.` });
      return sendCacheable(request, reply, { body: file.body, contentType: 'application/xml; charset=utf-8', lastModified: file.lastModified, maxAgeSeconds: pageMaxAgeSeconds });
    },
  );

  app.get(
    '/scholarships/:slug',
    {
      schema: {
        ...page,
        summary: 'The landing page of one scholarship (HTML with canonical link and JSON-LD)',
        params: Type.Object({ slug: Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9-]+$' }) }),
        response: problems(400, 404),
      },
    },
    async (request, reply) => {
      const listing = await discovery.findPublished(request.params.slug);
      if (!listing) throw CatalogErrors.CATALOG_SCHOLARSHIP_NOT_FOUND();
      app.funnel.record({ type: 'scholarship_viewed', test: isTestTraffic(request), source: 'page', scholarshipId: listing.id });
      return sendCacheable(request, reply, {
        body: renderLandingPage(listing, siteUrl),
        contentType: 'text/html; charset=utf-8',
        lastModified: new Date(listing.updatedAt),
        maxAgeSeconds: pageMaxAgeSeconds,
      });
    },
  );
}
