/**
 * Address ranges of search-engine crawlers, as the engines publish them
 * (R-WAF-5): a crawler is verified by the address it connects from, never
 * by its User-Agent, which anyone can send.
 *
 * A snapshot to start from, not a source of truth: the lists change, so
 * deployments pass the current ones through configuration (the plugin's
 * `crawlerRanges`), refreshed from
 *   https://developers.google.com/static/search/apis/ipranges/googlebot.json
 *   https://www.bing.com/toolbox/bingbot.json
 * An address missing here only means the crawler is inspected like any
 * client (and on GET/HEAD the WAF detects, it does not block).
 */
export const CRAWLER_RANGES_SNAPSHOT = {
  googlebot: [
    '66.249.64.0/19',
    '2001:4860:4801::/48',
  ],
  bingbot: [
    '157.55.39.0/24',
    '207.46.13.0/24',
    '40.77.167.0/24',
    '13.66.139.0/24',
    '13.66.144.0/24',
    '52.167.144.0/24',
    '199.30.24.0/23',
  ],
} as const;

export const DEFAULT_CRAWLER_RANGES: readonly string[] = [...CRAWLER_RANGES_SNAPSHOT.googlebot, ...CRAWLER_RANGES_SNAPSHOT.bingbot];
