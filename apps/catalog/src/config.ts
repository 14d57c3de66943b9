import { commonEnv, databaseEnv, loadConfig, natsEnv, type Env } from '@bursary/config';
import { loadSheddingEnv } from '@bursary/service-kit';
import { Type, type Static } from 'typebox';

export const CatalogEnv = Type.Object({
  ...commonEnv(8082),
  ...databaseEnv,
  ...natsEnv,
  // Load shedding (R-SHED-1).
  ...loadSheddingEnv,
  PUBLIC_SITE_URL: Type.String({
    pattern: '^https?://[^/?#\\s]+$',
    default: 'http://localhost:8080',
    description: 'the public origin of the site (scheme and host, no path): canonical links, JSON-LD, robots.txt and the sitemap use it, e.g. https://www.bursary.example',
  }),
  SITEMAP_URLS_PER_FILE: Type.Integer({
    minimum: 1,
    maximum: 50_000,
    default: 50_000,
    description: 'scholarship URLs per sitemap file behind the /sitemap.xml index (an integer from 1 to 50000, the sitemaps.org limit)',
  }),
  PAGE_MAX_AGE_S: Type.Integer({
    minimum: 0,
    maximum: 86_400,
    default: 300,
    description: 'the public Cache-Control max-age of scholarship pages and sitemaps, in seconds (an integer from 0 to 86400)',
  }),
  SEARCH_RANK_CANDIDATES: Type.Integer({
    minimum: 20,
    maximum: 10_000,
    default: 200,
    description: 'how many of the matches that fit best by title and summary a search ranks with the full weighted document (an integer from 20 to 10000)',
  }),
  SEARCH_MAX_MATCHES: Type.Integer({
    minimum: 100,
    maximum: 1_000_000,
    default: 10_000,
    description: 'the most matches one search counts and facets; past it `total` is a lower bound and `totalExact` false (an integer from 100 to 1000000)',
  }),
  SEARCH_CACHE_TTL_MS: Type.Integer({
    minimum: 0,
    maximum: 3_600_000,
    default: 300_000,
    description: 'how long a public search or list result is reused, in milliseconds; any listing change drops the cache sooner (an integer from 0 to 3600000; 0 turns the cache off)',
  }),
  SEARCH_CACHE_MAX_MB: Type.Integer({
    minimum: 1,
    maximum: 4_096,
    default: 64,
    description: 'the most megabytes of rendered search and list results kept in memory, least recently used dropped first (an integer from 1 to 4096)',
  }),
  LISTING_GENERATION_POLL_MS: Type.Integer({
    minimum: 50,
    maximum: 60_000,
    default: 1_000,
    description: 'how often each instance checks whether listings changed elsewhere, in milliseconds (an integer from 50 to 60000)',
  }),
  FUNNEL_FLUSH_INTERVAL_MS: Type.Integer({
    minimum: 10,
    maximum: 60_000,
    default: 1_000,
    description: 'how often buffered funnel analytics events are written, in milliseconds (an integer from 10 to 60000)',
  }),
});

export type CatalogConfig = Static<typeof CatalogEnv>;

export function loadCatalogConfig(env: Env): CatalogConfig {
  return loadConfig(CatalogEnv, env);
}
