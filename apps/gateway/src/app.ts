import { runtimeConfigPlugin, type RuntimeConfig } from '@bursary/runtime-config';
import { buildService, loadSheddingOptions, type ServiceInstance } from '@bursary/service-kit';
import type { GatewayConfig } from './config.js';
import { createDocsAggregator } from './modules/docs/docs-aggregator.js';
import { docsRoutes } from './modules/docs/docs-routes.js';
import { maintenancePlugin } from './modules/maintenance/maintenance-hook.js';
import { proxyRoutes } from './modules/proxy/proxy-routes.js';
import { createRouteMatcher, routesTo } from './modules/routing/route-matcher.js';
import { ROUTES, type RouteEntry } from './modules/routing/route-table.js';
import { gatewayRateLimitPlugin } from './plugins/rate-limit.js';
import { gatewayEdgeAuthPlugin } from './plugins/edge-auth.js';
import { upstreamPoolsPlugin } from './plugins/upstream-pools.js';
import { gatewayCorsPlugin } from './plugins/cors.js';
import { hostAllowlistPlugin } from './plugins/host-allowlist.js';
import { gatewayWafPlugin } from './plugins/waf.js';

export interface GatewayDeps {
  /** The routing table; tests may pass a smaller one. Defaults to ROUTES. */
  routes?: readonly RouteEntry[];
  /** Live settings; tests pass an in-memory one. Defaults to the NATS KV bucket. */
  runtimeConfig?: RuntimeConfig;
  /** Where log lines go instead of stdout; tests read them back. */
  logStream?: { write(line: string): void };
}

const VERSION = '1.0.0';

/**
 * The gateway composition root: plugins in lifecycle order, then route
 * modules. Its /readyz deliberately has no upstream probes: a gateway that
 * reports unready whenever one service is down would be pulled from the
 * load balancer and take every other service's traffic with it (cascading
 * failure). A down upstream is a 502 on its own routes only.
 */
export async function buildApp(config: GatewayConfig, deps: GatewayDeps = {}): Promise<ServiceInstance> {
  const routes = deps.routes ?? ROUTES;
  const app = await buildService({
    name: 'gateway',
    version: VERSION,
    description: 'The public edge: routes /v1 and the public pages to the services behind it.',
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    trustedProxies: config.TRUSTED_PROXIES,
    loadShedding: loadSheddingOptions(config),
    logStream: deps.logStream,
  });

  // The host allowlist is the gateway's first own hook (R-HOST-1..4): nothing
  // below runs for a Host we do not answer for. `hosts.mode` is read per
  // request from the runtime config registered further down.
  await app.register(hostAllowlistPlugin, {
    allowedHosts: config.ALLOWED_HOSTS,
    trustedProxies: config.TRUSTED_PROXIES,
    testBypass: config.ALLOWED_HOSTS_TEST_BYPASS,
    healthBypass: config.ALLOWED_HOSTS_HEALTH_BYPASS,
    mode: () => app.runtimeConfig.get('hosts.mode'),
  });
  // The WAF (R-WAF-1..5) inspects every request for a host we serve, routed
  // or not, before CORS, rate limits, auth and the proxy spend anything on it.
  await app.register(gatewayWafPlugin, { config: config.waf, routes });
  // CORS (R-CORS-1) answers preflights in onRequest: keep it before rate
  // limits and auth, which a preflight (no credentials) must never reach.
  await app.register(gatewayCorsPlugin, { origins: config.CORS_ORIGINS });

  // Live settings and kill switches (R-OPS-3). No NATS readiness probe: the
  // last-known-good values keep the edge serving while NATS is away.
  await app.register(runtimeConfigPlugin, deps.runtimeConfig ? { runtimeConfig: deps.runtimeConfig } : { nats: config.NATS_URL, bucket: config.RUNTIME_BUCKET });
  await app.register(maintenancePlugin, { runtimeConfig: app.runtimeConfig, retryAfterSeconds: config.MAINTENANCE_RETRY_AFTER_S });

  // Rate limits (R-RL-1, R-RL-2): after host allowlist, WAF and CORS/helmet, before auth and the proxy.
  await app.register(gatewayRateLimitPlugin, {
    redisUrl: config.REDIS_URL,
    keyPrefix: config.REDIS_KEY_PREFIX,
    commandTimeoutMs: config.RATE_LIMIT_REDIS_COMMAND_TIMEOUT_MS,
    connectTimeoutMs: config.RATE_LIMIT_REDIS_CONNECT_TIMEOUT_MS,
    limits: {
      read: { max: config.RATE_LIMIT_READ_MAX, windowSeconds: config.RATE_LIMIT_READ_WINDOW_S },
      authIp: { max: config.RATE_LIMIT_AUTH_IP_MAX, windowSeconds: config.RATE_LIMIT_AUTH_IP_WINDOW_S },
      authAccount: { max: config.RATE_LIMIT_AUTH_ACCOUNT_MAX, windowSeconds: config.RATE_LIMIT_AUTH_ACCOUNT_WINDOW_S },
      write: { max: config.RATE_LIMIT_WRITE_MAX, windowSeconds: config.RATE_LIMIT_WRITE_WINDOW_S },
    },
    unavailableRetryAfterSeconds: config.RATE_LIMIT_UNAVAILABLE_RETRY_AFTER_S,
    exempt: config.RATE_LIMIT_EXEMPT,
  });

  await app.register(upstreamPoolsPlugin, {
    origins: {
      accounts: config.UPSTREAM_ACCOUNTS_URL,
      catalog: config.UPSTREAM_CATALOG_URL,
      payments: config.UPSTREAM_PAYMENTS_URL,
      webhooks: config.UPSTREAM_WEBHOOKS_URL,
    },
    connections: config.UPSTREAM_POOL_CONNECTIONS,
    maxQueued: config.UPSTREAM_MAX_QUEUED,
    connectTimeoutMs: config.UPSTREAM_CONNECT_TIMEOUT_MS,
  });

  // Auth (R-AUTH-1): after rate limiting, before the proxy; per-route access comes from the routing table.
  await app.register(gatewayEdgeAuthPlugin, { auth: config.auth, routes });

  await app.register(proxyRoutes, {
    routes,
    timeouts: { read: config.UPSTREAM_READ_TIMEOUT_MS, default: config.UPSTREAM_TIMEOUT_MS, payment: config.UPSTREAM_PAYMENT_TIMEOUT_MS },
    responseBufferBytes: config.UPSTREAM_RESPONSE_BUFFER_BYTES,
  });

  await app.register(docsRoutes, {
    aggregator: createDocsAggregator({
      upstreams: app.upstreams,
      routedBy: routesTo(createRouteMatcher(routes)),
      ttlMs: config.DOCS_CACHE_TTL_MS,
      timeoutMs: config.UPSTREAM_READ_TIMEOUT_MS,
      version: VERSION,
    }),
  });
  return app;
}
