import { getHeapStatistics } from 'node:v8';
import { sendProblem } from '@bursary/errors';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Counter } from 'prom-client';
import { Type } from 'typebox';
import { EdgeErrors } from './kit-errors.js';

/** One reading of the process, as @fastify/under-pressure samples it. */
export interface PressureSample {
  /** Mean event-loop delay over the last sample interval, in milliseconds. */
  eventLoopDelayMs: number;
  /** Event-loop utilization (0..1) over the last sample interval. */
  eventLoopUtilization: number;
  heapUsedBytes: number;
}

export interface LoadSheddingOptions {
  /** Event-loop delay (ms) past which every request but health is shed; 0 turns the signal off. */
  maxEventLoopDelayMs: number;
  /** Event-loop utilization (0..1) past which every request but health is shed; 0 turns the signal off. */
  maxEventLoopUtilization: number;
  /** Heap used, as a fraction of V8's heap limit, past which every request but health is shed; 0 turns the signal off. */
  maxHeapUsedRatio: number;
  /**
   * Anonymous reads (GET/HEAD/OPTIONS without Authorization) are shed once a
   * signal passes this fraction of its limit, so that signed-in users, logins
   * and payments keep their capacity longer.
   */
  anonymousFactor: number;
  retryAfterSeconds: number;
  sampleIntervalMs: number;
  /** Replaces the measured sample (tests inject pressure deterministically). */
  pressureSource?: () => PressureSample;
}

/**
 * Defaults. Event-loop delay is the latency signal: a mean lag of 250 ms
 * already spends the P99 budget (300 ms) on waiting alone, so anonymous reads
 * go first there and everything but health at 500 ms, before latency
 * collapses. Heap at 90% of V8's limit precedes an out-of-memory crash.
 * Utilization is off: a loop 100% busy with fast requests is working, not
 * overloaded, and lag already says when it stops keeping up.
 */
export const LOAD_SHEDDING_DEFAULTS: Omit<LoadSheddingOptions, 'pressureSource'> = {
  maxEventLoopDelayMs: 500,
  maxEventLoopUtilization: 0,
  maxHeapUsedRatio: 0.9,
  anonymousFactor: 0.5,
  retryAfterSeconds: 5,
  sampleIntervalMs: 1000,
};

/** The environment variables of load shedding, for a service's config schema (`...loadSheddingEnv`). */
export const loadSheddingEnv = {
  SHED_MAX_EVENT_LOOP_DELAY_MS: Type.Integer({
    minimum: 0,
    maximum: 60_000,
    default: LOAD_SHEDDING_DEFAULTS.maxEventLoopDelayMs,
    description: 'mean event-loop delay in ms past which every request but health is shed with 503 (an integer from 0 to 60000; 0 turns it off)',
  }),
  SHED_MAX_EVENT_LOOP_UTILIZATION: Type.Number({
    minimum: 0,
    maximum: 1,
    default: LOAD_SHEDDING_DEFAULTS.maxEventLoopUtilization,
    description: 'event-loop utilization past which every request but health is shed (a number from 0 to 1; 0 turns it off)',
  }),
  SHED_MAX_HEAP_USED_RATIO: Type.Number({
    minimum: 0,
    maximum: 1,
    default: LOAD_SHEDDING_DEFAULTS.maxHeapUsedRatio,
    description: "heap used, as a fraction of V8's heap limit, past which every request but health is shed (a number from 0 to 1; 0 turns it off)",
  }),
  SHED_ANONYMOUS_FACTOR: Type.Number({
    exclusiveMinimum: 0,
    maximum: 1,
    default: LOAD_SHEDDING_DEFAULTS.anonymousFactor,
    description: 'the fraction of each limit at which anonymous reads are shed first (a number greater than 0, at most 1)',
  }),
  SHED_RETRY_AFTER_S: Type.Integer({
    minimum: 1,
    maximum: 3600,
    default: LOAD_SHEDDING_DEFAULTS.retryAfterSeconds,
    description: 'the Retry-After seconds of a shed request (an integer from 1 to 3600)',
  }),
  // At least 100 ms: under-pressure's delay histogram ticks every 10 ms, and a
  // window with no tick reads as an infinite delay (a blocked loop).
  SHED_SAMPLE_INTERVAL_MS: Type.Integer({
    minimum: 100,
    maximum: 60_000,
    default: LOAD_SHEDDING_DEFAULTS.sampleIntervalMs,
    description: 'how often event-loop and memory pressure are sampled, in ms (an integer from 100 to 60000)',
  }),
};

export interface LoadSheddingConfig {
  SHED_MAX_EVENT_LOOP_DELAY_MS: number;
  SHED_MAX_EVENT_LOOP_UTILIZATION: number;
  SHED_MAX_HEAP_USED_RATIO: number;
  SHED_ANONYMOUS_FACTOR: number;
  SHED_RETRY_AFTER_S: number;
  SHED_SAMPLE_INTERVAL_MS: number;
}

/** The buildService `loadShedding` option from a config that spread `loadSheddingEnv`. */
export function loadSheddingOptions(config: LoadSheddingConfig): LoadSheddingOptions {
  return {
    maxEventLoopDelayMs: config.SHED_MAX_EVENT_LOOP_DELAY_MS,
    maxEventLoopUtilization: config.SHED_MAX_EVENT_LOOP_UTILIZATION,
    maxHeapUsedRatio: config.SHED_MAX_HEAP_USED_RATIO,
    anonymousFactor: config.SHED_ANONYMOUS_FACTOR,
    retryAfterSeconds: config.SHED_RETRY_AFTER_S,
    sampleIntervalMs: config.SHED_SAMPLE_INTERVAL_MS,
  };
}

/**
 * How a route is treated under pressure, when the default rule does not fit:
 * `config: { shedding: 'priority' }` for an anonymous GET that must outlive
 * ordinary reads, `'exempt'` for a probe.
 */
export type SheddingClass = 'exempt' | 'priority' | 'anonymous';

type Signal = 'event_loop_delay' | 'event_loop_utilization' | 'heap';

/** Health answers whatever the load: a shed /healthz would get the instance restarted. */
const HEALTH_ROUTES = new Set(['/healthz', '/readyz']);
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sheddingClassOf(request: FastifyRequest): SheddingClass {
  const declared = request.routeOptions.config.shedding;
  if (declared) return declared;
  // The matched route template, not the raw path: `/healthz/../v1/x` is not health.
  if (HEALTH_ROUTES.has(request.routeOptions.url ?? '') && (request.method === 'GET' || request.method === 'HEAD')) return 'exempt';
  // Writes (logins, purchases, PSP webhooks) and signed-in users keep their capacity longest.
  if (!READ_METHODS.has(request.method) || request.headers.authorization !== undefined) return 'priority';
  return 'anonymous';
}

/**
 * Load shedding on every service (R-SHED-1). @fastify/under-pressure samples
 * the process (event-loop delay and utilization, heap) every interval; this
 * hook decides per request from the latest sample, in two tiers: anonymous
 * reads past `anonymousFactor` of a limit, everything past the limit itself;
 * health never. A shed request is 503 problem+json OVERLOADED with
 * Retry-After, answered in onRequest, before body parsing, auth or any
 * upstream call. The decision is ours rather than under-pressure's own gate
 * because that gate has a single threshold set and its own error body.
 */
async function loadShedding(app: FastifyInstance, options: LoadSheddingOptions): Promise<void> {
  // No thresholds given to under-pressure: it only samples (and decorates memoryUsage()).
  await app.register(underPressure, { sampleInterval: options.sampleIntervalMs, eventLoopUtilizationMode: 'interval' });
  const heapLimit = getHeapStatistics().heap_size_limit;
  const sample =
    options.pressureSource ??
    ((): PressureSample => {
      const usage = app.memoryUsage();
      return { eventLoopDelayMs: usage.eventLoopDelay, eventLoopUtilization: usage.eventLoopUtilized, heapUsedBytes: usage.heapUsed };
    });

  const limits: Array<{ signal: Signal; limit: number; read: (s: PressureSample) => number }> = [
    { signal: 'event_loop_delay' as const, limit: options.maxEventLoopDelayMs, read: (s: PressureSample) => s.eventLoopDelayMs },
    { signal: 'event_loop_utilization' as const, limit: options.maxEventLoopUtilization, read: (s: PressureSample) => s.eventLoopUtilization },
    { signal: 'heap' as const, limit: options.maxHeapUsedRatio * heapLimit, read: (s: PressureSample) => s.heapUsedBytes },
  ].filter((entry) => entry.limit > 0);

  /** The first signal past `factor` of its limit, if any. */
  const over = (current: PressureSample, factor: number): Signal | undefined =>
    limits.find((entry) => entry.read(current) > entry.limit * factor)?.signal;

  const shed = new Counter({
    name: 'shed_requests_total',
    help: 'Requests refused with 503 OVERLOADED by load shedding, by request class and the signal over its limit',
    labelNames: ['class', 'signal'] as const,
    registers: [app.serviceMetrics.registry],
  });

  app.addHook('onRequest', async (request, reply) => {
    if (limits.length === 0) return;
    const current = sample();
    // Cheap first check: nothing is even past the anonymous threshold.
    const anonymousSignal = over(current, options.anonymousFactor);
    if (anonymousSignal === undefined) return;
    const kind = sheddingClassOf(request);
    if (kind === 'exempt') return;
    const signal = kind === 'anonymous' ? anonymousSignal : over(current, 1);
    if (signal === undefined) return;
    shed.inc({ class: kind, signal });
    // Answered here rather than thrown: under overload, the error boundary's
    // 5xx log line with a stack per refused request is cost we cannot afford.
    // The access log line still carries the code.
    return sendProblem(request, reply, EdgeErrors.OVERLOADED({
      detail: 'The service is overloaded; retry after the Retry-After delay.',
      headers: { 'retry-after': String(options.retryAfterSeconds) },
    }));
  });
}

export const loadSheddingPlugin = fp(loadShedding, { name: '@bursary/load-shedding', fastify: '5.x', dependencies: ['@bursary/errors'] });

declare module 'fastify' {
  interface FastifyContextConfig {
    /** R-SHED-1: overrides how this route is treated under pressure. */
    shedding?: SheddingClass;
  }
}
