import type { FieldExclusion } from '@bursary/waf';
import { wafPlugin } from '@bursary/waf/fastify';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { WafConfig } from '../modules/waf/waf-config.js';
import { routePatterns, type RouteEntry } from '../modules/routing/route-table.js';

export interface GatewayWafOptions {
  config: WafConfig;
  /** The routing table: per-route exclusions and SEO pages are declared on its entries. */
  routes: readonly RouteEntry[];
}

/** Each entry's exclusions, for every URL pattern the entry registers (what `routeOptions.url` reports). */
function routeExclusions(routes: readonly RouteEntry[]): FieldExclusion[] {
  return routes.flatMap((entry) =>
    (entry.wafExclusions ?? []).flatMap((exclusion) => routePatterns(entry).map((route) => ({ ...exclusion, route }))),
  );
}

/**
 * The WAF at the edge (R-WAF-1..5): the engine of @bursary/waf with the
 * gateway's settings. Registered right after the host allowlist, so every
 * request for a host we serve is inspected, matched route or not, before
 * CORS, rate limits, auth and the proxy. The mode is the live `waf.mode`,
 * read per request (R-WAF-2, R-OPS-3); detections are counted in the
 * service registry as `waf_detections_total{rule,mode,action}`.
 */
async function gatewayWaf(app: FastifyInstance, options: GatewayWafOptions): Promise<void> {
  const { config, routes } = options;
  const seoRoutes = new Set(routes.filter((entry) => entry.seo === true).flatMap((entry) => routePatterns(entry)));
  await app.register(wafPlugin, {
    mode: () => app.runtimeConfig.get('waf.mode'),
    engine: {
      paranoiaLevel: config.paranoiaLevel,
      inboundThreshold: config.inboundThreshold,
      jsonBodyThreshold: config.jsonBodyThreshold,
      limits: { maxBodyBytes: config.maxBodyBytes },
      disabledRules: config.disabledRules,
    },
    exclusions: routeExclusions(routes),
    allowlist: config.allowlist,
    crawlerRanges: config.crawlerRanges,
    crawlerPaths: (_path, route) => route !== undefined && seoRoutes.has(route),
    metrics: app.serviceMetrics.registry,
  });
}

export const gatewayWafPlugin = fp(gatewayWaf, { name: '@bursary/gateway-waf', fastify: '5.x' });
