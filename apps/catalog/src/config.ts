import { commonEnv, databaseEnv, loadConfig, natsEnv, type Env } from '@bursary/config';
import { Type, type Static } from 'typebox';

export const CatalogEnv = Type.Object({
  ...commonEnv(8082),
  ...databaseEnv,
  ...natsEnv,
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
    minimum: 50,
    maximum: 100_000,
    default: 2_000,
    description: 'how many of the best-matching listings a search ranks precisely; past it, matches are counted and faceted but ranked by a cheaper measure (an integer from 50 to 100000)',
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
