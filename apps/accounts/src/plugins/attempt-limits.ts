import { createRateLimitRedis, createRedisLimiter, rateLimitPlugin } from '@bursary/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { attemptPolicies, selectAttemptPolicies, type AttemptBudgets } from '../modules/attempt-limits/attempt-policies.js';

export interface AttemptLimitsOptions {
  redisUrl: string;
  keyPrefix: string;
  commandTimeoutMs: number;
  budgets: AttemptBudgets;
  unavailableRetryAfterSeconds: number;
}

/**
 * Binds @bursary/rate-limit to the accounts routes that declare an attempt
 * action. Redis is not a readiness dependency (an accounts instance pulled
 * from the balancer would take refresh, logout and /v1/me down with it);
 * its state shows in /readyz details and the `ratelimit_backend_up` gauge.
 */
async function attemptLimits(app: FastifyInstance, options: AttemptLimitsOptions): Promise<void> {
  const redis = createRateLimitRedis({ url: options.redisUrl, commandTimeoutMs: options.commandTimeoutMs, connectionName: 'accounts-attempts' });
  redis.on('error', (error: Error) => app.log.debug({ err: error }, 'attempt limiter: redis connection error'));
  try {
    await redis.connect();
  } catch (error) {
    // Boot goes on degraded (attempt routes answer 503) and ioredis keeps reconnecting in the background.
    app.log.warn({ err: error }, 'attempt limiter: redis unavailable at boot; login, signup and reset answer 503 until it is back');
  }

  await app.register(rateLimitPlugin, {
    limiter: createRedisLimiter({ redis, keyPrefix: options.keyPrefix, ownsClient: false }),
    policies: attemptPolicies(options.budgets),
    select: selectAttemptPolicies,
    registry: app.serviceMetrics.registry,
    backendUp: () => redis.status === 'ready',
    unavailableRetryAfterSeconds: options.unavailableRetryAfterSeconds,
  });
  app.readiness.add('rate-limit', async () => ({ redis: redis.status }));
  app.addHook('onClose', async () => {
    redis.disconnect();
  });
}

export const attemptLimitsPlugin = fp(attemptLimits, { name: '@bursary/accounts-attempt-limits', fastify: '5.x', dependencies: ['@bursary/errors', '@bursary/health'] });
