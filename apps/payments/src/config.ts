import { commonEnv, ConfigError, databaseEnv, loadConfig, natsEnv, redisEnv, type Env } from '@bursary/config';
import { loadSheddingEnv } from '@bursary/service-kit';
import { Type, type Static } from 'typebox';

const Milliseconds = (fallback: number, what: string, min = 1, max = 86_400_000) =>
  Type.Integer({ minimum: min, maximum: max, default: fallback, description: `${what} in milliseconds (an integer from ${min} to ${max})` });

const WEBHOOK_SECRETS_FORM = 'comma-separated Stripe webhook signing secrets (whsec_…); several during a rotation, the newest first';

/**
 * The PSP: the official `stripe` client pointed at Stripe in production and at
 * tools/psp-simulator (stripe-mock's 127.0.0.1:12111) in development and tests.
 */
const pspEnv = {
  PSP_API_KEY: Type.String({ minLength: 1, default: 'sk_test_bursary_simulator', description: 'the PSP secret API key (sk_live_… / sk_test_…)' }),
  PSP_HOST: Type.String({ minLength: 1, default: '127.0.0.1', description: 'the PSP API host (api.stripe.com in production)' }),
  PSP_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 12111, description: 'the PSP API port (443 for Stripe)' }),
  PSP_PROTOCOL: Type.Union([Type.Literal('https'), Type.Literal('http')], { default: 'http', description: 'one of "https", "http" (production accepts only https)' }),
  PSP_TIMEOUT_MS: Milliseconds(8_000, 'the timeout of one PSP API request', 100, 120_000),
  PSP_MAX_NETWORK_RETRIES: Type.Integer({
    minimum: 0,
    maximum: 5,
    default: 2,
    description: 'retries of a PSP request after a network error or 409/5xx, with the same Idempotency-Key (an integer from 0 to 5)',
  }),
  PSP_WEBHOOK_SECRETS: Type.String({ minLength: 1, default: 'whsec_bursary_psp_simulator_development_secret', description: WEBHOOK_SECRETS_FORM }),
  PSP_WEBHOOK_TOLERANCE_S: Type.Integer({ minimum: 1, maximum: 3600, default: 300, description: 'how far a webhook timestamp may be from now, either way, in seconds' }),
  PSP_DEFAULT_PAYMENT_METHOD: Type.String({
    pattern: '^pm_[A-Za-z0-9_]+$',
    default: 'pm_card_visa',
    description: 'the payment method used when a purchase names none (a PSP test card outside production)',
  }),
};

const paymentsTuningEnv = {
  /** Longer than a PSP call with its retries, so that recovery never races a live request. */
  PURCHASE_LEASE_MS: Milliseconds(60_000, 'how long a request or the worker owns an in-flight purchase before recovery may take it over', 100),
  IDEMPOTENCY_LEASE_MS: Milliseconds(60_000, 'how long a request owns its Idempotency-Key before a retry may resume it', 100),
  IDEMPOTENCY_RETENTION_MS: Milliseconds(72 * 3600_000, 'how long idempotency keys and their responses are kept (24–72 h)', 24 * 3600_000, 72 * 3600_000),
  IDEMPOTENCY_RETRY_AFTER_S: Type.Integer({ minimum: 1, maximum: 60, default: 1, description: 'the Retry-After of a 409 IDEMPOTENCY_KEY_IN_USE' }),
  PLATFORM_FEE_BPS: Type.Integer({ minimum: 0, maximum: 10_000, default: 300, description: 'the platform fee on provider payments in basis points (300 = 3%)' }),
};

/** The worker (src/worker.ts): schedules of its BullMQ jobs. */
const workerEnv = {
  RECONCILE_EVERY_MS: Milliseconds(15 * 60_000, 'the reconciliation schedule', 100),
  RECONCILE_WINDOW_MS: Milliseconds(7 * 86_400_000, 'how far back reconciliation compares purchases and refunds with the PSP', 60_000, 90 * 86_400_000),
  RECOVER_EVERY_MS: Milliseconds(30_000, 'how often in-flight purchases and refunds with expired leases are recovered', 100),
  PURGE_EVERY_MS: Milliseconds(3600_000, 'how often expired idempotency keys are purged', 100),
  QUEUE_NAME: Type.String({ pattern: '^[A-Za-z0-9_-]+$', default: 'payments', description: 'the BullMQ queue of the payments worker' }),
};

/** What the on-demand reconciliation command needs: only the queue (it runs beside a worker that has the rest). */
const QueueEnv = Type.Object({ ...redisEnv, QUEUE_NAME: workerEnv.QUEUE_NAME });
export type QueueConfig = Static<typeof QueueEnv>;

export function loadQueueConfig(env: Env): QueueConfig {
  return loadConfig(QueueEnv, env);
}

export const PaymentsEnv = Type.Object({
  ...commonEnv(8083),
  ...databaseEnv,
  ...natsEnv,
  ...redisEnv,
  // Load shedding (R-SHED-1), as every service.
  ...loadSheddingEnv,
  ...pspEnv,
  ...paymentsTuningEnv,
  ...workerEnv,
});

type RawPaymentsConfig = Static<typeof PaymentsEnv>;

export type PaymentsConfig = Omit<RawPaymentsConfig, 'PSP_WEBHOOK_SECRETS'> & {
  /** Every accepted webhook signing secret (rotation). */
  PSP_WEBHOOK_SECRETS: string[];
};

export function loadPaymentsConfig(env: Env): PaymentsConfig {
  const raw = loadConfig(PaymentsEnv, env);
  const secrets = raw.PSP_WEBHOOK_SECRETS.split(',').map((secret) => secret.trim()).filter((secret) => secret !== '');
  if (secrets.length === 0) throw new ConfigError('PSP_WEBHOOK_SECRETS', WEBHOOK_SECRETS_FORM, raw.PSP_WEBHOOK_SECRETS);
  // A lease shorter than one PSP call with its retries would let recovery (or a retry) race a request still talking to the PSP.
  const longestPspCallMs = raw.PSP_TIMEOUT_MS * (raw.PSP_MAX_NETWORK_RETRIES + 1);
  for (const name of ['PURCHASE_LEASE_MS', 'IDEMPOTENCY_LEASE_MS'] as const) {
    if (raw[name] <= longestPspCallMs) throw new ConfigError(name, `more than PSP_TIMEOUT_MS × (PSP_MAX_NETWORK_RETRIES + 1) = ${longestPspCallMs}`, String(raw[name]));
  }
  if (raw.APP_ENV === 'production') {
    // Card data and API keys never cross the network in clear, and test keys never reach production.
    if (raw.PSP_PROTOCOL !== 'https') throw new ConfigError('PSP_PROTOCOL', 'https in production', raw.PSP_PROTOCOL);
    if (!raw.PSP_API_KEY.startsWith('sk_live_') && !raw.PSP_API_KEY.startsWith('rk_live_')) {
      throw new ConfigError('PSP_API_KEY', 'a live key (sk_live_… or rk_live_…) in production', '<redacted>');
    }
  }
  return { ...raw, PSP_WEBHOOK_SECRETS: secrets };
}
