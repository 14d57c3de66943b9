import { createLocalJWKSet, errors, type CryptoKey, type FlattenedJWSInput, type JSONWebKeySet, type JWK, type JWSHeaderParameters } from 'jose';

/** The signing keys cannot be had: the JWKS never loaded, or is too old to trust. Answered with 503, never 401. */
export class KeysUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeysUnavailableError';
  }
}

export interface JwksKeyStoreOptions {
  /** Fetches and parses the JWKS document; throws when it cannot. */
  fetchJwks: () => Promise<unknown>;
  /** Keys are refetched on use once they are this old (rotation without an unknown kid). */
  maxAgeMs: number;
  /** The least time between two refetches caused by an unknown `kid`: a flood of forged kids costs one fetch per window. */
  cooldownMs: number;
  /** After a failed fetch, the next attempt waits this long: no fetch per request while accounts is down. */
  retryAfterFailureMs: number;
  /** How long past maxAge the last good keys still verify while every refetch fails (stale-if-error). */
  maxStaleMs: number;
  now?: () => number;
  /** Told about each fetch outcome, for logs. */
  onFetch?: (outcome: { ok: true; keys: number; dropped: number } | { ok: false; error: unknown }) => void;
}

export type KeyResolver = (protectedHeader: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey>;

export interface JwksKeyStore {
  /** The key for a token header, in the shape jose's jwtVerify takes. */
  readonly getKey: KeyResolver;
  /** Fetches now (at boot, to warm the cache); resolves whether it worked. */
  refresh(): Promise<boolean>;
}

/**
 * Verification keys only: public asymmetric JWKs meant for signatures. A
 * symmetric (`oct`) key, a private key or an encryption key in the set is an
 * accounts mistake and must never become a way to verify a token.
 */
function usableKeys(document: unknown): { set: JSONWebKeySet; dropped: number } {
  if (typeof document !== 'object' || document === null || !Array.isArray((document as { keys?: unknown }).keys)) {
    throw new errors.JWKSInvalid('JSON Web Key Set malformed');
  }
  const all = (document as { keys: unknown[] }).keys;
  const keys = all.filter((key): key is JWK => {
    if (typeof key !== 'object' || key === null) return false;
    const jwk = key as JWK;
    return (jwk.kty === 'OKP' || jwk.kty === 'EC' || jwk.kty === 'RSA') && jwk.d === undefined && (jwk.use === undefined || jwk.use === 'sig');
  });
  return { set: { keys }, dropped: all.length - keys.length };
}

/**
 * The accounts JWKS, cached, rotation-aware and stale-if-error. jose's own
 * createRemoteJWKSet refetches on every request once its cache expired and
 * the JWKS is unreachable, and drops its keys on the first failure; at the
 * edge we want neither (one fetch per retry window, last good keys kept for
 * `maxStaleMs`), so fetching and caching are ours and key selection
 * (kid/alg/kty matching, import) is jose's createLocalJWKSet.
 */
export function createJwksKeyStore(options: JwksKeyStoreOptions): JwksKeyStore {
  const now = options.now ?? Date.now;
  let current: { resolve: KeyResolver; fetchedAt: number } | undefined;
  let lastAttemptAt = Number.NEGATIVE_INFINITY;
  let lastFailed = false;
  let pending: Promise<boolean> | undefined;

  const refresh = (): Promise<boolean> => {
    pending ??= (async () => {
      lastAttemptAt = now();
      try {
        const { set, dropped } = usableKeys(await options.fetchJwks());
        current = { resolve: createLocalJWKSet(set) as KeyResolver, fetchedAt: now() };
        lastFailed = false;
        options.onFetch?.({ ok: true, keys: set.keys.length, dropped });
        return true;
      } catch (error) {
        lastFailed = true;
        options.onFetch?.({ ok: false, error });
        return false;
      }
    })().finally(() => {
      pending = undefined;
    });
    return pending;
  };

  const usable = (): KeyResolver => {
    if (current && now() - current.fetchedAt <= options.maxAgeMs + options.maxStaleMs) return current.resolve;
    throw new KeysUnavailableError(current ? 'the cached JWKS is older than the stale limit and cannot be refreshed' : 'the JWKS has not been fetched');
  };

  const getKey: KeyResolver = async (protectedHeader, token) => {
    const expired = !current || now() - current.fetchedAt >= options.maxAgeMs;
    const mayRetry = !lastFailed || now() - lastAttemptAt >= options.retryAfterFailureMs;
    if (expired && mayRetry) await refresh();
    try {
      return await usable()(protectedHeader, token);
    } catch (error) {
      // An unknown kid may be a key accounts just rotated in: refetch once per cooldown.
      if (!(error instanceof errors.JWKSNoMatchingKey) || now() - lastAttemptAt < options.cooldownMs) throw error;
      const refreshed = await refresh();
      if (!refreshed) throw new KeysUnavailableError('an unknown kid needs a JWKS refetch, which failed', { cause: error });
      return usable()(protectedHeader, token);
    }
  };

  return { getKey, refresh };
}
