import { buildService, loadSheddingOptions, registerDataPlatform, type ServiceInstance } from '@bursary/service-kit';
import type { AccountsConfig } from './config.js';
import type { AccountsDb } from './db/database.js';
import * as schema from './db/schema.js';
import { credentialRoutes } from './modules/credentials/credential-routes.js';
import { createCredentialService } from './modules/credentials/credential-service.js';
import { meRoutes } from './modules/me/me-routes.js';
import { createPasswordHasher } from './modules/passwords/password-hasher.js';
import { warmPasswordPolicy } from './modules/passwords/password-policy.js';
import { resetRoutes } from './modules/password-reset/reset-routes.js';
import { createResetService } from './modules/password-reset/reset-service.js';
import { createSmtpTransport } from './modules/password-reset/smtp-transport.js';
import { sessionRoutes } from './modules/sessions/session-routes.js';
import { createSessionService } from './modules/sessions/session-service.js';
import { createAccessTokens } from './modules/tokens/access-tokens.js';
import { jwksRoutes } from './modules/tokens/jwks-routes.js';
import { createKeyEncryption } from './modules/tokens/key-encryption.js';
import { VERIFIER_CLOCK_TOLERANCE_S, verifyWindowMs } from './modules/tokens/key-schedule.js';
import { createSigningKeyRing } from './modules/tokens/signing-key-ring.js';
import type { MailTransport } from './modules/password-reset/reset-mailer.js';
import { attemptLimitsPlugin } from './plugins/attempt-limits.js';
import { resetMailer } from './plugins/reset-mailer.js';

export interface AccountsDeps {
  /** Replaces the SMTP transport (tests that do not run a mail sink). */
  mailTransport?: MailTransport;
}

/** The accounts composition root: plugins in lifecycle order, then the services, then the route modules. */
export async function buildApp(config: AccountsConfig, deps: AccountsDeps = {}): Promise<ServiceInstance> {
  const app = await buildService({
    name: 'accounts',
    description: 'Identity: signup, login, token refresh, password reset, provider login.',
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    trustedProxies: config.TRUSTED_PROXIES,
    loadShedding: loadSheddingOptions(config),
  });
  await registerDataPlatform(app, { config, service: 'accounts', schema, outbox: schema.outbox });
  await app.register(attemptLimitsPlugin, {
    redisUrl: config.REDIS_URL,
    keyPrefix: `${config.REDIS_KEY_PREFIX}accounts:`,
    commandTimeoutMs: config.RATE_LIMIT_REDIS_COMMAND_TIMEOUT_MS,
    budgets: {
      ip: { max: config.AUTH_ATTEMPTS_IP_MAX, windowSeconds: config.AUTH_ATTEMPTS_IP_WINDOW_S },
      account: { max: config.AUTH_ATTEMPTS_ACCOUNT_MAX, windowSeconds: config.AUTH_ATTEMPTS_ACCOUNT_WINDOW_S },
    },
    unavailableRetryAfterSeconds: config.RATE_LIMIT_UNAVAILABLE_RETRY_AFTER_S,
  });

  const db = app.database.db as AccountsDb;
  const hasher = createPasswordHasher({ memoryKiB: config.ARGON2_MEMORY_KIB, timeCost: config.ARGON2_TIME_COST, parallelism: config.ARGON2_PARALLELISM });
  const keys = createSigningKeyRing({
    db,
    encryption: createKeyEncryption(config.SIGNING_KEY_ENCRYPTION_KEY),
    cacheMs: config.SIGNING_KEYS_CACHE_S * 1000,
    verifyWindowMs: verifyWindowMs(config.ACCESS_TOKEN_TTL_S, VERIFIER_CLOCK_TOLERANCE_S),
  });
  const accessTokens = createAccessTokens({ keys, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE, ttlSeconds: config.ACCESS_TOKEN_TTL_S, clockToleranceSeconds: VERIFIER_CLOCK_TOLERANCE_S });
  const sessions = createSessionService({ db, accessTokens, refreshTokenTtlMs: config.REFRESH_TOKEN_TTL_S * 1000, sessionMaxAgeMs: config.SESSION_MAX_AGE_S * 1000 });
  const credentials = createCredentialService({ db, hasher, sessions });
  const resets = createResetService({ db, hasher });

  await app.register(resetMailer, {
    db,
    transport:
      deps.mailTransport ??
      createSmtpTransport({ host: config.SMTP_HOST, port: config.SMTP_PORT, security: config.SMTP_SECURE, user: config.SMTP_USER, password: config.SMTP_PASSWORD }),
    from: config.MAIL_FROM,
    resetUrl: config.PASSWORD_RESET_URL,
    natsUrl: config.NATS_URL,
    stream: { name: config.EVENTS_STREAM, subjectPrefix: config.EVENTS_SUBJECT_PREFIX },
  });

  await app.register(credentialRoutes, { credentials });
  await app.register(sessionRoutes, { sessions });
  await app.register(resetRoutes, { resets });
  await app.register(meRoutes, { db, accessTokens });
  await app.register(jwksRoutes, { keys });
  // Right after listening, off the boot path: health answers first, the dictionaries load before the first signup.
  app.addHook('onListen', async () => {
    setImmediate(warmPasswordPolicy);
  });
  return app;
}
