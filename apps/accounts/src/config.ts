import { commonEnv, ConfigError, databaseEnv, loadConfig, natsEnv, redisEnv, type Env } from '@bursary/config';
import { loadSheddingEnv } from '@bursary/service-kit';
import { Type, type Static } from 'typebox';

const Seconds = (fallback: number, what: string, min: number, max: number) =>
  Type.Integer({ minimum: min, maximum: max, default: fallback, description: `${what} in seconds (an integer from ${min} to ${max})` });
const Count = (fallback: number, what: string, min: number, max: number) =>
  Type.Integer({ minimum: min, maximum: max, default: fallback, description: `${what} (an integer from ${min} to ${max})` });

/**
 * The development and test key-encryption key. Public on purpose: it protects
 * nothing, and production refuses to boot with it (see loadAccountsConfig).
 */
const DEV_SIGNING_KEY_ENCRYPTION_KEY = 'ZGV2LW9ubHktc2lnbmluZy1rZXktZW5jcnlwdGlvbiE=';

const KEY_FORM = 'the base64 of 32 random bytes (`openssl rand -base64 32`); production refuses the development default';

/** OWASP Password Storage Cheat Sheet: its weakest listed argon2id setting is m=7 MiB, t=5; every listed one has m×t ≥ 35 840 KiB. */
export const ARGON2_MIN_MEMORY_TIME_PRODUCT = 35_840;

const tokensEnv = {
  // The gateway verifies `iss` and `aud` with the same variables (apps/gateway config).
  AUTH_ISSUER: Type.String({ minLength: 1, default: 'urn:bursary:accounts', description: 'the `iss` of every access token (the gateway checks the same value)' }),
  AUTH_AUDIENCE: Type.String({ minLength: 1, default: 'urn:bursary:api', description: 'the `aud` of every access token (the gateway checks the same value)' }),
  ACCESS_TOKEN_TTL_S: Seconds(900, 'the lifetime of an access token', 60, 3600),
  REFRESH_TOKEN_TTL_S: Seconds(14 * 86_400, 'the lifetime of one refresh token (each use rotates it)', 300, 90 * 86_400),
  SESSION_MAX_AGE_S: Seconds(30 * 86_400, 'the absolute lifetime of a login, however often it is refreshed', 300, 365 * 86_400),
  SIGNING_KEY_ENCRYPTION_KEY: Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$', default: DEV_SIGNING_KEY_ENCRYPTION_KEY, description: KEY_FORM }),
  SIGNING_KEY_PUBLISH_LEAD_S: Seconds(600, 'how long a rotated-in key is published in the JWKS before it signs (longer than the gateway JWKS cache, AUTH_JWKS_MAX_AGE_MS)', 0, 86_400),
  SIGNING_KEYS_CACHE_S: Seconds(30, 'how long an instance caches the signing keys it read from the database', 1, 3600),
};

const passwordEnv = {
  ARGON2_MEMORY_KIB: Count(19_456, `argon2id memory in KiB (OWASP minimum: 19456 with ARGON2_TIME_COST=2; memory × time ≥ ${ARGON2_MIN_MEMORY_TIME_PRODUCT})`, 7168, 1_048_576),
  ARGON2_TIME_COST: Count(2, 'argon2id passes', 1, 10),
  ARGON2_PARALLELISM: Count(1, 'argon2id lanes', 1, 8),
};

const mailEnv = {
  SMTP_HOST: Type.String({ minLength: 1, default: '127.0.0.1', description: 'the SMTP server that sends password reset email (development: the mail sink)' }),
  SMTP_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 1025, description: 'its port (an integer from 1 to 65535; development: the mail sink on 1025)' }),
  SMTP_SECURE: Type.Union([Type.Literal('none'), Type.Literal('starttls'), Type.Literal('tls')], {
    default: 'none',
    description: 'one of "none", "starttls" (upgrade required), "tls" (implicit TLS, port 465); production refuses none',
  }),
  SMTP_USER: Type.Optional(Type.String({ description: 'the SMTP user, if the server wants one' })),
  SMTP_PASSWORD: Type.Optional(Type.String({ description: 'the SMTP password' })),
  MAIL_FROM: Type.String({ minLength: 3, default: 'Bursary <no-reply@bursary.local>', description: 'the From of account email' }),
  PASSWORD_RESET_URL: Type.String({
    pattern: '^https?://[^\\s?#]+$',
    default: 'http://localhost:8080/reset-password',
    description: 'the page the reset link opens; `?token=…` is appended (no query or fragment; https in production)',
  }),
};

const attemptLimitsEnv = {
  // Second line behind the gateway's limits: accounts counts attempts itself, so a
  // caller that reaches it by another path is limited too (R-RL-2).
  AUTH_ATTEMPTS_IP_MAX: Count(30, 'login, signup and password-reset attempts per client IP per window, per action', 1, 1_000_000),
  AUTH_ATTEMPTS_IP_WINDOW_S: Seconds(60, 'the window of AUTH_ATTEMPTS_IP_MAX', 1, 86_400),
  AUTH_ATTEMPTS_ACCOUNT_MAX: Count(10, 'login, signup and password-reset attempts per account (email) per window, per action', 1, 1_000_000),
  AUTH_ATTEMPTS_ACCOUNT_WINDOW_S: Seconds(900, 'the window of AUTH_ATTEMPTS_ACCOUNT_MAX', 1, 86_400),
  RATE_LIMIT_UNAVAILABLE_RETRY_AFTER_S: Seconds(5, 'the Retry-After of the 503 RATE_LIMIT_UNAVAILABLE while Redis is down', 1, 3600),
  RATE_LIMIT_REDIS_COMMAND_TIMEOUT_MS: Count(250, 'milliseconds a rate-limit Redis command may take', 10, 5000),
};

export const AccountsEnv = Type.Object({
  ...commonEnv(8081),
  ...databaseEnv,
  ...natsEnv,
  ...redisEnv,
  TRUSTED_PROXIES: Type.String({
    pattern: '^[0-9A-Fa-f:.,/ ]*$',
    default: '127.0.0.1,::1',
    description: 'comma-separated addresses or CIDRs of the gateways whose X-Forwarded-For names the client (audit ip, per-IP limits)',
  }),
  ...tokensEnv,
  ...passwordEnv,
  ...mailEnv,
  ...attemptLimitsEnv,
  // Load shedding (R-SHED-1).
  ...loadSheddingEnv,
});

type RawAccountsConfig = Static<typeof AccountsEnv>;

export type AccountsConfig = Omit<RawAccountsConfig, 'TRUSTED_PROXIES'> & { TRUSTED_PROXIES: string[] };

function refuseUnsafeProduction(config: RawAccountsConfig): void {
  if (config.APP_ENV !== 'production') return;
  if (config.SIGNING_KEY_ENCRYPTION_KEY === DEV_SIGNING_KEY_ENCRYPTION_KEY) throw new ConfigError('SIGNING_KEY_ENCRYPTION_KEY', KEY_FORM, '(the development default)');
  if (config.SMTP_SECURE === 'none') throw new ConfigError('SMTP_SECURE', 'starttls or tls in production', config.SMTP_SECURE);
  if (!config.PASSWORD_RESET_URL.startsWith('https://')) throw new ConfigError('PASSWORD_RESET_URL', 'an https:// URL in production', config.PASSWORD_RESET_URL);
}

export function loadAccountsConfig(env: Env): AccountsConfig {
  const raw = loadConfig(AccountsEnv, env);
  if (raw.ARGON2_MEMORY_KIB * raw.ARGON2_TIME_COST < ARGON2_MIN_MEMORY_TIME_PRODUCT) {
    throw new ConfigError('ARGON2_MEMORY_KIB', `memory × ARGON2_TIME_COST ≥ ${ARGON2_MIN_MEMORY_TIME_PRODUCT} (OWASP's minimum)`, String(raw.ARGON2_MEMORY_KIB));
  }
  refuseUnsafeProduction(raw);
  const proxies = raw.TRUSTED_PROXIES.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  return { ...raw, TRUSTED_PROXIES: proxies };
}
