import type { FastifyReply } from 'fastify';

export interface EvaluatedPolicy {
  name: string;
  limit: number;
  windowMs: number;
  remaining: number;
  /** Seconds until the quota resets (or, when limited, until a retry can succeed). */
  resetSeconds: number;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * The RateLimit header fields of draft-ietf-httpapi-ratelimit-headers-10
 * (Structured Field lists): `RateLimit-Policy: "auth-ip";q=10;w=60` declares
 * each quota, `RateLimit: "auth-ip";r=7;t=42` reports what is left of it.
 * Clients built against the earlier drafts (and @fastify/rate-limit's
 * enableDraftSpec) read RateLimit-Limit/-Remaining/-Reset, which we also
 * send for the policy closest to its limit.
 */
export function setRateLimitHeaders(reply: FastifyReply, evaluated: readonly EvaluatedPolicy[]): void {
  if (evaluated.length === 0) return;
  reply.header('ratelimit-policy', evaluated.map((p) => `"${p.name}";q=${p.limit};w=${seconds(p.windowMs)}`).join(', '));
  reply.header('ratelimit', evaluated.map((p) => `"${p.name}";r=${p.remaining};t=${p.resetSeconds}`).join(', '));
  let tightest = evaluated[0]!;
  for (const p of evaluated) {
    if (p.remaining < tightest.remaining || (p.remaining === tightest.remaining && p.resetSeconds > tightest.resetSeconds)) tightest = p;
  }
  reply.header('ratelimit-limit', String(tightest.limit));
  reply.header('ratelimit-remaining', String(tightest.remaining));
  reply.header('ratelimit-reset', String(tightest.resetSeconds));
}
