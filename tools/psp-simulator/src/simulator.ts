import type { Socket } from 'node:net';
import { loggerOptions } from '@bursary/observability';
import Fastify, { LogController, type FastifyError, type FastifyInstance } from 'fastify';
import qs from 'qs';
import type { SimulatorContext } from './api/simulator-context.js';
import { StripeError } from './api/stripe-error.js';
import { stripeJson } from './api/stripe-json.js';
import { controlRoutes } from './control/control-routes.js';
import { EventBus } from './events/event-bus.js';
import { eventRoutes } from './events/event-routes.js';
import { FaultRules } from './faults/fault-rules.js';
import { chargeRoutes } from './payments/charge-routes.js';
import { paymentIntentRoutes } from './payments/payment-intent-routes.js';
import { refundRoutes } from './payments/refund-routes.js';
import { AccountRegistry } from './state/account.js';
import { TimeScale } from './state/time-scale.js';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.js';
import { webhookEndpointRoutes } from './webhooks/webhook-endpoint-routes.js';

/** The Stripe API version this simulator imitates (the stripe client's pinned one at the time of writing). */
export const DEFAULT_API_VERSION = '2026-10-28.endive';
/** The default whsec_ secret of the default webhook endpoint (development only; never a real secret). */
export const DEFAULT_WEBHOOK_SECRET = 'whsec_bursary_psp_simulator_development_secret';
/** Stripe keeps idempotency keys at least 24 hours. */
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PspSimulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port); the CLI uses 12111, stripe-mock's port. */
  port?: number;
  /** Where every account without its own webhook endpoints gets its events. */
  webhookUrl?: string;
  /** The whsec_ secret webhooks to webhookUrl are signed with. */
  webhookSecret?: string;
  /** Stripe time ÷ real time for webhook retries (default 60). */
  timeFactor?: number;
  /**
   * How long idempotency keys are kept, in real milliseconds (default 24 h, as
   * Stripe; not scaled by timeFactor so fast webhook retries never expire keys
   * mid-test). POST /_sim/idempotency/expire forgets them on demand.
   */
  idempotencyTtlMs?: number;
  /** When given, the only accepted secret keys; otherwise any sk_test_/rk_test_ key is its own account. */
  apiKeys?: string[];
  /** Milliseconds a webhook endpoint may take to answer (default 10000). */
  webhookTimeoutMs?: number;
  /** pino level, or false for no logs (default false). */
  logLevel?: string | false;
}

export interface PspSimulator {
  /** http://host:port: pass host, port and protocol 'http' to `new Stripe(key, …)`. */
  url: string;
  host: string;
  port: number;
  /** The secret webhooks to the default endpoint are signed with. */
  webhookSecret: string;
  /** Stops accepting requests, cancels pending webhook retries and closes. */
  close(): Promise<void>;
}

const QS_OPTIONS = { depth: 10, arrayLimit: 100, parameterLimit: 5000 } as const;

function buildApp(options: PspSimulatorOptions, webhookSecret: string): { app: FastifyInstance; sim: SimulatorContext } {
  const timeScale = new TimeScale(options.timeFactor ?? 60);
  const configuredWebhook = options.webhookUrl ? { url: options.webhookUrl, secret: webhookSecret } : undefined;
  const dispatcher = new WebhookDispatcher({ timeScale, timeoutMs: options.webhookTimeoutMs ?? 10_000, defaultSecret: webhookSecret, ...(configuredWebhook ? { defaultTarget: configuredWebhook } : {}) });
  const faults = new FaultRules();
  const closing = new AbortController();
  const sim: SimulatorContext = {
    accounts: new AccountRegistry(options.idempotencyTtlMs ?? DAY_MS),
    faults,
    bus: new EventBus(dispatcher, faults),
    dispatcher,
    timeScale,
    apiKeys: options.apiKeys ? new Set(options.apiKeys) : undefined,
    defaultApiVersion: DEFAULT_API_VERSION,
    hungSockets: new Set<Socket>(),
    closing: closing.signal,
    inFlight: { count: 0 },
  };

  const app = Fastify({
    logger: options.logLevel ? loggerOptions({ service: 'psp-simulator', level: options.logLevel }) : false,
    // Two lines per request would drown `npm start`'s output; /_sim/webhook-deliveries tells what happened.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { querystringParser: (text) => qs.parse(text, QS_OPTIONS) },
    // A misspelt fault option must be an error, not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
  });
  // Stripe's v1 API takes form-encoded bodies with nested keys (metadata[purchase_id]=…).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, qs.parse(body as string, QS_OPTIONS));
  });
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    const stripeError = error instanceof StripeError ? error : new StripeError(status, status === 500 ? 'api_error' : 'invalid_request_error', status === 500 ? 'An unknown error occurred' : error.message);
    void reply.code(stripeError.status).type('application/json').send(stripeJson(stripeError.body()));
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new StripeError(
      404,
      'invalid_request_error',
      `Unrecognized request URL (${request.method}: ${request.url.split('?')[0]}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    );
    void reply.code(404).type('application/json').send(stripeJson(error.body()));
  });
  app.addHook('preClose', async () => {
    closing.abort();
    for (const socket of sim.hungSockets) socket.destroy();
    await dispatcher.close();
  });

  paymentIntentRoutes(app, sim);
  refundRoutes(app, sim);
  chargeRoutes(app, sim);
  eventRoutes(app, sim);
  webhookEndpointRoutes(app, sim);
  controlRoutes(app, sim, { webhook: configuredWebhook, secret: webhookSecret });
  return { app, sim };
}

/**
 * Starts a Stripe-compatible PSP simulator (see the README): for tests, on a
 * free port; `close()` stops it and every pending webhook retry.
 */
export async function startPspSimulator(options: PspSimulatorOptions = {}): Promise<PspSimulator> {
  const webhookSecret = options.webhookSecret ?? DEFAULT_WEBHOOK_SECRET;
  const { app } = buildApp(options, webhookSecret);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  return {
    url: `http://${host}:${port}`,
    host,
    port,
    webhookSecret,
    close: () => app.close(),
  };
}
