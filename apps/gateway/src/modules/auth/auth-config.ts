import type { AuthMode, SignatureAlgorithm } from '@bursary/auth';
import { SUPPORTED_ALGORITHMS } from '@bursary/auth';
import { ConfigError } from '@bursary/config';

export const AUTH_ALGORITHMS_FORM = `comma-separated asymmetric JWS algorithms from ${SUPPORTED_ALGORITHMS.join(', ')} (never none or HS*), e.g. EdDSA,ES256`;
export const AUTH_MODE_FORM = 'enforce, or off (accepted only when APP_ENV=test; the test profile defaults to off, every other profile to enforce)';

/** The AUTH_* variables as loaded, before defaults that depend on other variables. */
export interface AuthEnv {
  APP_ENV: string;
  UPSTREAM_ACCOUNTS_URL: string;
  AUTH_MODE?: AuthMode | undefined;
  AUTH_JWKS_URL?: string | undefined;
  AUTH_ISSUER: string;
  AUTH_AUDIENCE: string;
  AUTH_ALGORITHMS: string;
  AUTH_CLOCK_TOLERANCE_S: number;
  AUTH_JWKS_TIMEOUT_MS: number;
  AUTH_JWKS_MAX_AGE_MS: number;
  AUTH_JWKS_COOLDOWN_MS: number;
  AUTH_JWKS_MAX_STALE_MS: number;
}

export interface AuthConfig {
  mode: AuthMode;
  jwksUrl: string;
  issuer: string;
  audience: string;
  algorithms: SignatureAlgorithm[];
  clockToleranceSeconds: number;
  jwksTimeoutMs: number;
  jwksMaxAgeMs: number;
  jwksCooldownMs: number;
  jwksMaxStaleMs: number;
}

export function parseAlgorithms(value: string): SignatureAlgorithm[] {
  const entries = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (entries.length === 0 || entries.some((entry) => !(SUPPORTED_ALGORITHMS as readonly string[]).includes(entry))) {
    throw new ConfigError('AUTH_ALGORITHMS', AUTH_ALGORITHMS_FORM, value);
  }
  return [...new Set(entries)] as SignatureAlgorithm[];
}

/**
 * Edge auth settings (R-AUTH-1). Tokens are verified everywhere except in the
 * test profile, whose suites exercise routing and failures without tokens
 * unless they ask for AUTH_MODE=enforce; `off` anywhere else refuses to boot.
 * The JWKS defaults to the accounts upstream's own.
 */
export function resolveAuthConfig(env: AuthEnv): AuthConfig {
  const isTest = env.APP_ENV === 'test';
  const mode = env.AUTH_MODE ?? (isTest ? 'off' : 'enforce');
  if (mode === 'off' && !isTest) throw new ConfigError('AUTH_MODE', AUTH_MODE_FORM, 'off');
  return {
    mode,
    jwksUrl: env.AUTH_JWKS_URL ?? new URL('/.well-known/jwks.json', env.UPSTREAM_ACCOUNTS_URL).href,
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
    algorithms: parseAlgorithms(env.AUTH_ALGORITHMS),
    clockToleranceSeconds: env.AUTH_CLOCK_TOLERANCE_S,
    jwksTimeoutMs: env.AUTH_JWKS_TIMEOUT_MS,
    jwksMaxAgeMs: env.AUTH_JWKS_MAX_AGE_MS,
    jwksCooldownMs: env.AUTH_JWKS_COOLDOWN_MS,
    jwksMaxStaleMs: env.AUTH_JWKS_MAX_STALE_MS,
  };
}
