import { createServer } from 'node:http';
import { clientErrorHandler, errorBoundaryPlugin, frameworkErrors, requestIdFrom } from '@bursary/errors';
import { createServiceMetrics, healthPlugin, loggerOptions, requestLoggingPlugin, type ServiceMetrics } from '@bursary/observability';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify';
import { drainingGuardPlugin } from './draining-guard.js';
import { cachePolicyPlugin } from './cache-policy.js';
import { hostHeaderGuardPlugin } from './host-header-guard.js';
import { LOAD_SHEDDING_DEFAULTS, loadSheddingPlugin, type LoadSheddingOptions } from './load-shedding.js';
import { openApiPlugin } from './openapi-plugin.js';
import { securityHeadersPlugin } from './security-headers.js';

export interface ServiceOptions {
  /** Service name: log `service` field, metric label, OpenAPI title. */
  name: string;
  version?: string;
  description: string;
  logLevel: string;
  bodyLimitBytes: number;
  /**
   * Peers whose X-Forwarded-For is believed: a list of addresses/CIDRs, never
   * `true` or a hop count (R-HOST-4). Empty: the socket address is the client.
   */
  trustedProxies?: string[];
  maxParamLength?: number;
  /**
   * Idle keep-alive timeout; longer than a load balancer's idle timeout (60 s
   * on common ones) so the balancer, not us, closes idle connections.
   */
  keepAliveTimeoutMs?: number;
  /** Load-shedding thresholds (R-SHED-1); omitted fields take LOAD_SHEDDING_DEFAULTS. */
  loadShedding?: Partial<LoadSheddingOptions>;
  /** Where log lines go instead of stdout (tests read them back); one JSON line per write. */
  logStream?: { write(line: string): void };
}

export type ServiceInstance = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression<RawServerDefault>,
  RawReplyDefaultExpression<RawServerDefault>,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/**
 * The one composition every service starts from (DESIGN.md §2, §3.3). The
 * order matters and reads top to bottom: the error boundary first, so that
 * everything registered after it, hooks included, reports through it.
 */
export async function buildService(options: ServiceOptions): Promise<ServiceInstance> {
  const metrics = createServiceMetrics(options.name);
  const app = Fastify({
    logger: { ...loggerOptions({ service: options.name, level: options.logLevel }), ...(options.logStream && { stream: options.logStream }) },
    // Node answers a missing Host with a bare 400; we answer it ourselves (host-header-guard).
    serverFactory: (handler) => createServer({ requireHostHeader: false, keepAliveTimeout: options.keepAliveTimeoutMs ?? 72_000 }, handler),
    genReqId: requestIdFrom,
    // One access-log line per request comes from requestLoggingPlugin, not Fastify's two.
    logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes,
    trustProxy: options.trustedProxies && options.trustedProxies.length > 0 ? options.trustedProxies : false,
    return503OnClosing: false,
    frameworkErrors,
    clientErrorHandler,
    routerOptions: { maxParamLength: options.maxParamLength ?? 200 },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('serviceMetrics', metrics);

  await app.register(errorBoundaryPlugin);
  // Security headers and the cache policy next, so that every answer after
  // this line, refusals included, carries them (R-HDR-1).
  await app.register(securityHeadersPlugin);
  await app.register(cachePolicyPlugin);
  await app.register(hostHeaderGuardPlugin);
  await app.register(requestLoggingPlugin, { metrics });
  await app.register(healthPlugin);
  await app.register(drainingGuardPlugin);
  // Shedding is the last cheap refusal before a service's own hooks (the
  // gateway's host allowlist, WAF, rate limits, auth): under overload, no
  // work is spent on a request that will be shed anyway (R-SHED-1).
  await app.register(loadSheddingPlugin, { ...LOAD_SHEDDING_DEFAULTS, ...options.loadShedding });
  await app.register(openApiPlugin, { service: options.name, version: options.version ?? '1.0.0', description: options.description });
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    serviceMetrics: ServiceMetrics;
  }
}
