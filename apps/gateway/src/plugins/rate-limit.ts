import { createRateLimitRedis, createRedisLimiter, rateLimitPlugin } from '@bursary/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { gatewayPolicies, type GatewayLimits } from '../modules/rate-limit/rate-limit-policies.js';
import { parseExemptList, selectPolicies } from '../modules/rate-limit/route-classes.js';

export interface GatewayRateLimitOptions {
  redisUrl: string;
  keyPrefix: string;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  limits: GatewayLimits;
  /** Retry-After of the 503 auth routes answer while Redis is down. */
  unavailableRetryAfterSeconds: number;
  /** RATE_LIMIT_EXEMPT as configured (addresses/CIDRs). */
  exempt: string;
}

/**
 * Binds @bursary/rate-limit to the gateway: one fail-fast Redis client
 * shared by every policy, limits from config scaled live by the runtime
 * `ratelimit.factor` (R-OPS-3), metrics in the service registry.
 *
 * Redis is deliberately not a readiness dependency: with Redis down the
 * gateway degrades (reads limited per instance, auth refused with 503), and a
 * gateway that reported unready would be pulled from the load balancer and
 * take every route down with it (R-RL-2). Its state is reported instead as a
 * check that never fails (`rate-limit` in /readyz details) and as the
 * `ratelimit_backend_up` gauge.
 */
async function gatewayRateLimit(app: FastifyInstance, options: GatewayRateLimitOptions): Promise<void> {
  const exempt = parseExemptList(options.exempt);
  const log = app.log.child({ component: 'rate-limit' });
  const redis = createRateLimitRedis({
    url: options.redisUrl,
    commandTimeoutMs: options.commandTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs,
    connectionName: 'gateway-ratelimit',
  });
  // Every failed reconnect emits 'error'; the degraded/recovered transitions are logged by the limiter plugin.
  redis.on('error', (error: Error) => log.debug({ err: error }, 'redis connection error'));
  try {
    await redis.connect();
  } catch (error) {
    log.warn({ err: error }, 'redis unavailable at boot: starting degraded (reads limited per instance, auth routes answer 503) and reconnecting in the background');
  }
  const limiter = createRedisLimiter({ redis, keyPrefix: options.keyPrefix });

  await app.register(rateLimitPlugin, {
    limiter,
    policies: gatewayPolicies(options.limits),
    select: selectPolicies(exempt),
    factor: () => app.runtimeConfig.get('ratelimit.factor'),
    registry: app.serviceMetrics.registry,
    backendUp: () => redis.status === 'ready',
    unavailableRetryAfterSeconds: options.unavailableRetryAfterSeconds,
  });

  app.readiness.add('rate-limit', async () => ({ backend: redis.status === 'ready' ? 'redis' : 'local (degraded)', redis: redis.status }));

  app.addHook('onClose', async () => {
    if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
    else redis.disconnect();
  });
}

export const gatewayRateLimitPlugin = fp(gatewayRateLimit, {
  name: '@bursary/gateway-rate-limit',
  fastify: '5.x',
  dependencies: ['@bursary/errors', '@bursary/health', '@bursary/runtime-config'],
});
