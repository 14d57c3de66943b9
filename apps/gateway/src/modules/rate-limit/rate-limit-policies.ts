import { accountKeyFromBody, clientAddressKey, definePolicy, type KeyFunction, type RateLimitPolicy } from '@bursary/rate-limit';
import type { FastifyRequest } from 'fastify';

/** Policy names: the `RateLimit-Policy` ids, the `policy` metric label and part of the Redis keys. */
export const POLICY = {
  read: 'read',
  authIp: 'auth-ip',
  authAccount: 'auth-account',
  write: 'write',
} as const;

export interface Budget {
  max: number;
  windowSeconds: number;
}

export interface GatewayLimits {
  read: Budget;
  authIp: Budget;
  authAccount: Budget;
  write: Budget;
}

/**
 * The authenticated user of a request: `request.principal.userId`, which
 * the edge auth plugin (@bursary/auth) sets in its onRequest hook on
 * protected routes; write policies run in preHandler, after it. Read
 * structurally so this module does not depend on the auth plugin being
 * registered. No principal (public route, anonymous): undefined, and writes
 * are counted by client IP.
 */
export const authenticatedUserId: KeyFunction = (request) => {
  const principal = (request as FastifyRequest & { principal?: unknown }).principal;
  if (!principal || typeof principal !== 'object') return undefined;
  const userId = (principal as { userId?: unknown }).userId;
  return typeof userId === 'string' && userId !== '' ? userId : undefined;
};

/** Fastify's request.ip honours only TRUSTED_PROXIES (R-HOST-4); IPv6 grouped by /64. */
const byClientIp: KeyFunction = (request) => `ip:${clientAddressKey(request.ip)}`;

/**
 * The gateway's limits as data (R-RL-1, R-RL-2): which algorithm, budget,
 * key and failure mode per route class.
 * - read (GET/HEAD on /v1): per client IP, sliding window; fails open to a
 *   per-instance limit when Redis is down (reads must keep working).
 * - auth-ip / auth-account (login, signup, refresh, password reset, …): GCRA,
 *   per client IP before the body is read, then per account named in the
 *   JSON body (`email`); fail closed, since an unlimited login endpoint is a
 *   brute-force target.
 * - write (other mutating /v1 requests): GCRA per authenticated user (per
 *   IP when anonymous), checked after the auth layer; fails open.
 */
export function gatewayPolicies(limits: GatewayLimits, userId: KeyFunction = authenticatedUserId): RateLimitPolicy[] {
  return [
    definePolicy({
      name: POLICY.read,
      algorithm: 'sliding-window',
      limit: limits.read.max,
      windowMs: limits.read.windowSeconds * 1000,
      stage: 'request',
      whenUnavailable: 'open',
      key: byClientIp,
    }),
    definePolicy({
      name: POLICY.authIp,
      algorithm: 'gcra',
      limit: limits.authIp.max,
      windowMs: limits.authIp.windowSeconds * 1000,
      stage: 'request',
      whenUnavailable: 'closed',
      key: byClientIp,
    }),
    definePolicy({
      name: POLICY.authAccount,
      algorithm: 'gcra',
      limit: limits.authAccount.max,
      windowMs: limits.authAccount.windowSeconds * 1000,
      stage: 'handler',
      whenUnavailable: 'closed',
      key: (request) => {
        const account = accountKeyFromBody(request.body);
        return account === undefined ? undefined : `account:${account}`;
      },
    }),
    definePolicy({
      name: POLICY.write,
      algorithm: 'gcra',
      limit: limits.write.max,
      windowMs: limits.write.windowSeconds * 1000,
      stage: 'handler',
      whenUnavailable: 'open',
      key: (request) => {
        const user = userId(request);
        return user === undefined ? byClientIp(request) : `user:${user}`;
      },
    }),
  ];
}
