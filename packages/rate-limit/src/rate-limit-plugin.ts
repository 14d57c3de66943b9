import { CommonErrors } from '@bursary/errors';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Registry } from 'prom-client';
import { createRateLimitStore, type StorePolicy } from './fastify-store.js';
import type { Limiter } from './limiter.js';
import { createMemoryLimiter } from './memory-limiter.js';
import { scaledLimit, type PolicyStage, type RateLimitPolicy } from './policy.js';
import { setRateLimitHeaders, type EvaluatedPolicy } from './rate-limit-headers.js';
import { createRateLimitMetrics } from './rate-limit-metrics.js';

export interface RateLimitPluginOptions {
  /** The shared limiter (Redis): consistent across instances and restarts (R-RL-1). */
  limiter: Limiter;
  /** The per-instance limiter fail-open policies use while the shared one is down; default in-memory. */
  fallback?: Limiter;
  policies: readonly RateLimitPolicy[];
  /**
   * Names of the policies that apply to a request, checked in this order;
   * empty for requests that are not limited (health, docs). Called once per
   * request, in onRequest, so it can only look at method, URL and headers.
   */
  select: (request: FastifyRequest) => readonly string[];
  /** Multiplies every limit at request time (R-OPS-3 `ratelimit.factor`); a getter, so a change applies to the next request. */
  factor?: () => number;
  /** Where `ratelimit_decisions_total` (and `ratelimit_backend_up`) are registered. */
  registry?: Registry;
  /** Whether the shared backend is connected, for the `ratelimit_backend_up` gauge. */
  backendUp?: () => boolean;
  /** Retry-After of a fail-closed 503 while the shared limiter is down. */
  unavailableRetryAfterSeconds?: number;
}

interface RequestState {
  policies: RateLimitPolicy[];
  evaluated: EvaluatedPolicy[];
}

type Check = ReturnType<FastifyInstance['createRateLimit']>;

/**
 * Rate limits as data (R-RL-1, R-RL-2, R-OPS-3), on @fastify/rate-limit with
 * our store. Every limited response carries the RateLimit headers; a request
 * over a limit is 429 RATE_LIMITED problem+json with Retry-After. The plugin
 * does not own `limiter` (its creator closes it); it closes the fallback it
 * created.
 */
async function rateLimit(app: FastifyInstance, options: RateLimitPluginOptions): Promise<void> {
  const ownFallback = options.fallback === undefined;
  const fallback = options.fallback ?? createMemoryLimiter();
  const metrics = options.registry ? createRateLimitMetrics(options.registry, options.backendUp) : undefined;
  const factor = options.factor ?? (() => 1);

  // Log the transitions of the shared backend, not every failed call: an
  // outage must not flood the log at the request rate.
  let degraded = false;
  const Store = createRateLimitStore({
    limiter: options.limiter,
    fallback,
    unavailableRetryAfterSeconds: options.unavailableRetryAfterSeconds ?? 5,
    onDecision: (policy, outcome) => metrics?.decisions.inc({ policy, outcome }),
    onBackendError: (error) => {
      if (degraded) return;
      degraded = true;
      app.log.warn({ err: error }, 'rate limiter degraded: shared backend unavailable; fail-open policies use the local limiter, fail-closed ones answer 503');
    },
    onBackendOk: () => {
      if (!degraded) return;
      degraded = false;
      app.log.info('rate limiter recovered: shared backend available again');
    },
  });

  await app.register(fastifyRateLimit, { global: false, store: Store, skipOnError: false });

  const byName = new Map<string, RateLimitPolicy>();
  const checks = new Map<string, Check>();
  for (const policy of options.policies) {
    if (byName.has(policy.name)) throw new Error(`rate-limit policy ${policy.name} is declared twice`);
    byName.set(policy.name, policy);
    const storePolicy: StorePolicy = { name: policy.name, algorithm: policy.algorithm, whenUnavailable: policy.whenUnavailable };
    const createOptions = {
      policy: storePolicy,
      max: () => scaledLimit(policy.limit, factor()),
      timeWindow: policy.windowMs,
      // A request the policy has no identity for (no account in the body,
      // no user) is not counted by it: '' is allow-listed.
      keyGenerator: (request: FastifyRequest) => policy.key(request) ?? '',
      allowList: (_request: FastifyRequest, key: string) => key === '',
    };
    checks.set(policy.name, app.createRateLimit(createOptions));
  }

  const state = new WeakMap<FastifyRequest, RequestState>();

  async function enforce(request: FastifyRequest, reply: FastifyReply, stage: PolicyStage): Promise<void> {
    const current = state.get(request);
    if (!current) return;
    for (const policy of current.policies) {
      if (policy.stage !== stage) continue;
      const result = await checks.get(policy.name)!(request);
      if (result.isAllowed) continue;
      current.evaluated.push({ name: policy.name, limit: result.max, windowMs: policy.windowMs, remaining: result.remaining, resetSeconds: result.ttlInSeconds });
      setRateLimitHeaders(reply, current.evaluated);
      if (result.isExceeded) {
        const retryAfter = Math.max(1, result.ttlInSeconds);
        throw CommonErrors.RATE_LIMITED({
          detail: `Too many requests (policy ${policy.name}); retry in ${retryAfter} s.`,
          headers: { 'retry-after': String(retryAfter) },
          extensions: { policy: policy.name },
        });
      }
    }
  }

  app.addHook('onRequest', async (request, reply) => {
    const names = options.select(request);
    if (names.length === 0) return;
    const policies = names.map((name) => byName.get(name)).filter((policy): policy is RateLimitPolicy => policy !== undefined);
    state.set(request, { policies, evaluated: [] });
    await enforce(request, reply, 'request');
  });
  app.addHook('preHandler', async (request, reply) => {
    await enforce(request, reply, 'handler');
  });

  if (ownFallback) app.addHook('onClose', async () => fallback.close());
}

export const rateLimitPlugin = fp(rateLimit, { name: '@bursary/rate-limit', fastify: '5.x', dependencies: ['@bursary/errors'] });
