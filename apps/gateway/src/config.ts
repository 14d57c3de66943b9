import { isIP } from 'node:net';
import { commonEnv, ConfigError, loadConfig, natsEnv, redisEnv, type Env } from '@bursary/config';
import { loadSheddingEnv } from '@bursary/service-kit';
import { Type, type Static } from 'typebox';
import { edgeEnv, parseEdgeConfig, type EdgeConfig } from './modules/edge/edge-config.js';
import { RATE_LIMIT_EXEMPT_FORM } from './modules/rate-limit/route-classes.js';
import { parseWafConfig, wafEnv, type WafConfig } from './modules/waf/waf-config.js';
import { AUTH_ALGORITHMS_FORM, AUTH_MODE_FORM, resolveAuthConfig, type AuthConfig } from './modules/auth/auth-config.js';

const ORIGIN_PATTERN = '^https?://[^/?#\\s]+/?$';

const UpstreamUrl = (port: number, service: string) =>
  Type.String({
    pattern: ORIGIN_PATTERN,
    default: `http://127.0.0.1:${port}`,
    description: `the origin of the ${service} service, e.g. http://127.0.0.1:${port} (scheme, host and port; no path)`,
  });

const TRUSTED_PROXIES_FORM =
  'comma-separated IP addresses or CIDRs whose X-Forwarded-* headers are believed, e.g. 10.0.0.0/8,192.168.1.10 (never "true" or a hop count)';

const Milliseconds = (fallback: number, what: string, min = 1) =>
  Type.Integer({ minimum: min, maximum: 300_000, default: fallback, description: `${what} in milliseconds (an integer from ${min} to 300000)` });

const RateLimitMax = (fallback: number, what: string) =>
  Type.Integer({ minimum: 1, maximum: 1_000_000, default: fallback, description: `${what} (an integer from 1 to 1000000)` });
const RateLimitWindow = (fallback: number, variable: string) =>
  Type.Integer({ minimum: 1, maximum: 86_400, default: fallback, description: `the window of ${variable} in seconds (an integer from 1 to 86400)` });

const rateLimitEnv = {
  RATE_LIMIT_READ_MAX: RateLimitMax(300, 'read-only /v1 requests (GET, HEAD) per client IP (IPv6 per /64) per window; sliding window; with Redis down each instance still limits locally'),
  RATE_LIMIT_READ_WINDOW_S: RateLimitWindow(60, 'RATE_LIMIT_READ_MAX'),
  RATE_LIMIT_AUTH_IP_MAX: RateLimitMax(10, 'login, signup, refresh and password-reset requests per client IP per window; GCRA; with Redis down these routes answer 503'),
  RATE_LIMIT_AUTH_IP_WINDOW_S: RateLimitWindow(60, 'RATE_LIMIT_AUTH_IP_MAX'),
  RATE_LIMIT_AUTH_ACCOUNT_MAX: RateLimitMax(5, 'login, signup and password-reset requests per account (the email in the body) per window, whatever the IP; GCRA'),
  RATE_LIMIT_AUTH_ACCOUNT_WINDOW_S: RateLimitWindow(900, 'RATE_LIMIT_AUTH_ACCOUNT_MAX'),
  RATE_LIMIT_WRITE_MAX: RateLimitMax(60, 'other mutating /v1 requests per authenticated user (per client IP when anonymous) per window; GCRA'),
  RATE_LIMIT_WRITE_WINDOW_S: RateLimitWindow(60, 'RATE_LIMIT_WRITE_MAX'),
  RATE_LIMIT_UNAVAILABLE_RETRY_AFTER_S: Type.Integer({ minimum: 1, maximum: 3600, default: 5, description: 'the Retry-After seconds of the 503 RATE_LIMIT_UNAVAILABLE auth routes answer while Redis is down (an integer from 1 to 3600)' }),
  RATE_LIMIT_REDIS_COMMAND_TIMEOUT_MS: Type.Integer({ minimum: 10, maximum: 5000, default: 250, description: 'milliseconds a rate-limit Redis command may take before the request degrades (an integer from 10 to 5000)' }),
  RATE_LIMIT_REDIS_CONNECT_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 30_000, default: 1000, description: 'milliseconds a Redis connect attempt may take (an integer from 100 to 30000)' }),
  RATE_LIMIT_EXEMPT: Type.String({ default: '', description: RATE_LIMIT_EXEMPT_FORM }),
};

export const GatewayEnv = Type.Object({
  ...commonEnv(8080),
  ...natsEnv,
  GATEWAY_WORKERS: Type.Integer({
    minimum: 1,
    maximum: 64,
    default: 1,
    description:
      'gateway processes sharing PORT via node:cluster, usually one per core (an integer from 1 to 64); METRICS_PORT then serves the sum of all workers',
  }),
  MAINTENANCE_RETRY_AFTER_S: Type.Integer({ minimum: 1, maximum: 86_400, default: 120, description: 'the Retry-After seconds of a maintenance 503 (an integer from 1 to 86400)' }),
  UPSTREAM_ACCOUNTS_URL: UpstreamUrl(8081, 'accounts'),
  UPSTREAM_CATALOG_URL: UpstreamUrl(8082, 'catalog'),
  UPSTREAM_PAYMENTS_URL: UpstreamUrl(8083, 'payments'),
  UPSTREAM_WEBHOOKS_URL: UpstreamUrl(8084, 'webhooks'),
  UPSTREAM_POOL_CONNECTIONS: Type.Integer({
    minimum: 1,
    maximum: 1024,
    default: 64,
    description: 'the most keep-alive connections the gateway opens to each upstream (an integer from 1 to 1024)',
  }),
  UPSTREAM_MAX_QUEUED: Type.Integer({
    minimum: 1,
    maximum: 100_000,
    default: 512,
    description: 'requests that may wait for a free connection to one upstream before the gateway sheds with 503 (an integer from 1 to 100000)',
  }),
  UPSTREAM_CONNECT_TIMEOUT_MS: Milliseconds(2_000, 'the TCP connect timeout to an upstream'),
  UPSTREAM_TIMEOUT_MS: Milliseconds(10_000, 'the default per-route upstream timeout (headers and body)'),
  UPSTREAM_READ_TIMEOUT_MS: Milliseconds(5_000, 'the upstream timeout of read-only routes (search, listings, SEO pages)'),
  UPSTREAM_PAYMENT_TIMEOUT_MS: Milliseconds(30_000, 'the upstream timeout of payment routes'),
  UPSTREAM_RESPONSE_BUFFER_BYTES: Type.Integer({
    minimum: 0,
    maximum: 64 * 1024 * 1024,
    default: 1024 * 1024,
    description: 'upstream response bytes buffered before streaming starts; a timeout while buffering is still a clean 504 (an integer from 0 to 67108864)',
  }),
  DOCS_CACHE_TTL_MS: Milliseconds(30_000, 'how long the merged OpenAPI document at /docs is cached', 0),
  TRUSTED_PROXIES: Type.String({ default: '', description: TRUSTED_PROXIES_FORM }),
  // Host allowlist and CORS (R-HOST-1..4, R-CORS-1); checked as a whole by parseEdgeConfig.
  ...edgeEnv,
  // WAF (R-WAF-1..5); the mode is the live setting `waf.mode`.
  ...wafEnv,
  // Load shedding (R-SHED-1).
  ...loadSheddingEnv,
  // Rate limiting (R-RL-1, R-RL-2). Every budget is scaled live by the runtime setting `ratelimit.factor`.
  ...redisEnv,
  ...rateLimitEnv,
  // Edge auth (R-AUTH-1); resolved by resolveAuthConfig.
  AUTH_MODE: Type.Optional(Type.Union([Type.Literal('enforce'), Type.Literal('off')], { description: AUTH_MODE_FORM })),
  AUTH_JWKS_URL: Type.Optional(
    Type.String({ pattern: '^https?://[^\\s]+$', description: 'the URL of the accounts JWKS (default: UPSTREAM_ACCOUNTS_URL + /.well-known/jwks.json)' }),
  ),
  AUTH_ISSUER: Type.String({ minLength: 1, default: 'urn:bursary:accounts', description: 'the `iss` every access token must carry (accounts signs with the same value)' }),
  AUTH_AUDIENCE: Type.String({ minLength: 1, default: 'urn:bursary:api', description: 'the `aud` every access token must carry (accounts signs with the same value)' }),
  AUTH_ALGORITHMS: Type.String({ default: 'EdDSA,ES256', description: AUTH_ALGORITHMS_FORM }),
  AUTH_CLOCK_TOLERANCE_S: Type.Integer({ minimum: 0, maximum: 300, default: 30, description: 'the clock skew allowed on exp and nbf, in seconds (an integer from 0 to 300)' }),
  AUTH_JWKS_TIMEOUT_MS: Milliseconds(2_000, 'the timeout of one JWKS fetch'),
  AUTH_JWKS_MAX_AGE_MS: Milliseconds(300_000, 'how long fetched signing keys are used before they are refetched'),
  AUTH_JWKS_COOLDOWN_MS: Milliseconds(30_000, 'the least time between two JWKS refetches caused by an unknown key id', 0),
  AUTH_JWKS_MAX_STALE_MS: Type.Integer({
    minimum: 0,
    maximum: 86_400_000,
    default: 3_600_000,
    description: 'how long the last fetched signing keys still verify tokens while the JWKS cannot be refetched, in milliseconds (an integer from 0 to 86400000)',
  }),
});

type RawGatewayConfig = Static<typeof GatewayEnv>;

export type GatewayConfig = Omit<RawGatewayConfig, 'TRUSTED_PROXIES' | keyof EdgeConfig> & EdgeConfig & {
  /** Parsed and validated addresses/CIDRs; empty means the socket peer is the client. */
  TRUSTED_PROXIES: string[];
  /** Edge auth settings resolved from the AUTH_* variables (R-AUTH-1). */
  auth: AuthConfig;
  /** WAF settings parsed from the WAF_* variables (R-WAF-1..5). */
  waf: WafConfig;
};

function isAddressOrCidr(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  if (rest.length > 0 || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * TRUSTED_PROXIES as a list for Fastify's trustProxy. `true` or a hop count
 * would let any client forge its address through X-Forwarded-For (R-HOST-4),
 * so only explicit addresses and CIDRs are accepted.
 */
export function parseTrustedProxies(value: string): string[] {
  const entries = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  for (const entry of entries) {
    if (!isAddressOrCidr(entry)) {
      throw new ConfigError('TRUSTED_PROXIES', TRUSTED_PROXIES_FORM, value);
    }
  }
  return entries;
}

export function loadGatewayConfig(env: Env): GatewayConfig {
  const raw = loadConfig(GatewayEnv, env);
  return { ...raw, TRUSTED_PROXIES: parseTrustedProxies(raw.TRUSTED_PROXIES), auth: resolveAuthConfig(raw), waf: parseWafConfig(raw), ...parseEdgeConfig(raw) };
}
