/**
 * robots.txt (R-CAT-4): built once at boot and served from memory, so it
 * answers even while the database is down. Crawlers may read the pages and
 * the sitemap; the API is not for them.
 */
export function robotsTxt(siteUrl: string): string {
  return ['User-agent: *', 'Allow: /scholarships/', 'Allow: /sitemap', 'Disallow: /v1/', 'Disallow: /docs', '', `Sitemap: ${siteUrl}/sitemap.xml`, ''].join('\n');
}
