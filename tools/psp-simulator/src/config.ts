import { commonEnv, loadConfig, type Env } from '@bursary/config';
import { Type, type Static } from 'typebox';

const { HOST, PORT, LOG_LEVEL } = commonEnv(12111);

const SimulatorEnv = Type.Object({
  HOST,
  PORT,
  LOG_LEVEL,
  WEBHOOK_URL: Type.Optional(Type.String({ pattern: '^https?://', description: 'the URL every account without its own endpoints gets its webhooks at, e.g. http://127.0.0.1:8083/v1/psp/webhooks' })),
  WEBHOOK_SECRET: Type.Optional(Type.String({ pattern: '^whsec_', description: 'the whsec_… secret webhooks to WEBHOOK_URL are signed with' })),
  TIME_FACTOR: Type.Number({ minimum: 1, default: 60, description: 'Stripe time ÷ real time for webhook retries (a number ≥ 1)' }),
  IDEMPOTENCY_TTL_S: Type.Integer({ minimum: 1, default: 86400, description: 'seconds idempotency keys are kept (Stripe: 24 hours)' }),
  API_KEYS: Type.Optional(Type.String({ pattern: '^(sk|rk)_test_\\w+(,(sk|rk)_test_\\w+)*$', description: 'a comma-separated list of the only accepted sk_test_… keys' })),
  WEBHOOK_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 120000, default: 10000, description: 'milliseconds a webhook endpoint may take to answer' }),
});
export type SimulatorConfig = Static<typeof SimulatorEnv>;

export function loadSimulatorConfig(env: Env): SimulatorConfig {
  return loadConfig(SimulatorEnv, env);
}
