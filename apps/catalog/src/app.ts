import { buildService, loadSheddingOptions, registerDataPlatform, type ServiceInstance } from '@bursary/service-kit';
import type { CatalogConfig } from './config.js';
import * as schema from './db/schema.js';
import { listingCachePlugin } from './modules/cache/generation-watcher.js';
import { ApplicationRepository } from './modules/applications/application-repository.js';
import { applicationRoutes } from './modules/applications/application-routes.js';
import { DiscoveryRepository } from './modules/discovery/discovery-repository.js';
import { discoveryRoutes } from './modules/discovery/discovery-routes.js';
import { DiscoveryService } from './modules/discovery/discovery-service.js';
import { eligibilityRoutes } from './modules/eligibility/eligibility-routes.js';
import { funnelPlugin } from './modules/funnel/funnel-plugin.js';
import { ProfileRepository } from './modules/profiles/profile-repository.js';
import { profileRoutes } from './modules/profiles/profile-routes.js';
import { ProviderListings } from './modules/provider/provider-listings.js';
import { providerRoutes } from './modules/provider/provider-routes.js';
import { RecommendationRepository } from './modules/recommendations/recommendation-repository.js';
import { recommendationRoutes } from './modules/recommendations/recommendation-routes.js';
import { RecommendationService } from './modules/recommendations/recommendation-service.js';
import { seoRoutes } from './modules/seo/seo-routes.js';
import { Sitemap } from './modules/seo/sitemap.js';
import { ShortlistRepository } from './modules/shortlist/shortlist-repository.js';
import { shortlistRoutes } from './modules/shortlist/shortlist-routes.js';

/** Today as YYYY-MM-DD in UTC, the same day Postgres's current_date gives on a UTC server. */
const today = () => new Date().toISOString().slice(0, 10);

/** The catalog composition root: plugins in lifecycle order, then route modules. */
export async function buildApp(config: CatalogConfig): Promise<ServiceInstance> {
  const app = await buildService({
    name: 'catalog',
    description: 'Scholarships, search, eligibility, recommendations, shortlist, applications, provider listings, SEO pages.',
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    loadShedding: loadSheddingOptions(config),
  });
  await registerDataPlatform(app, { config, service: 'catalog', schema, outbox: schema.outbox });
  await app.register(funnelPlugin, { flushIntervalMs: config.FUNNEL_FLUSH_INTERVAL_MS });
  await app.register(listingCachePlugin, { maxBytes: config.SEARCH_CACHE_MAX_MB * 1024 * 1024, ttlMs: config.SEARCH_CACHE_TTL_MS, pollMs: config.LISTING_GENERATION_POLL_MS });

  const { sql, db } = app.database;
  const siteUrl = config.PUBLIC_SITE_URL;
  const limits = { rankCandidates: config.SEARCH_RANK_CANDIDATES, maxMatches: config.SEARCH_MAX_MATCHES };
  const discovery = new DiscoveryService(sql, new DiscoveryRepository(sql, siteUrl, limits), app.resultCache);
  const profiles = new ProfileRepository(sql);

  await app.register(discoveryRoutes, { service: discovery });
  await app.register(eligibilityRoutes, { discovery, today });
  await app.register(profileRoutes, { profiles });
  await app.register(recommendationRoutes, { service: new RecommendationService(profiles, new RecommendationRepository(sql, siteUrl), today) });
  await app.register(shortlistRoutes, { shortlist: new ShortlistRepository(sql, siteUrl) });
  await app.register(applicationRoutes, { applications: new ApplicationRepository(sql, db, schema.outbox, siteUrl) });
  await app.register(providerRoutes, { listings: new ProviderListings(sql, db, schema.outbox, siteUrl, today, () => app.resultCache.invalidate()) });
  await app.register(seoRoutes, { discovery, sitemap: new Sitemap(sql, siteUrl, config.SITEMAP_URLS_PER_FILE), siteUrl, pageMaxAgeSeconds: config.PAGE_MAX_AGE_S });
  return app;
}
