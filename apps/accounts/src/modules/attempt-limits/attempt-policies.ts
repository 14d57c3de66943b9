import { accountKeyFromBody, clientAddressKey, definePolicy, type RateLimitPolicy } from '@bursary/rate-limit';
import type { FastifyRequest } from 'fastify';

export interface AttemptBudgets {
  ip: { max: number; windowSeconds: number };
  account: { max: number; windowSeconds: number };
}

const POLICY = { ip: 'attempt-ip', account: 'attempt-account' } as const;

const actionOf = (request: FastifyRequest) => request.routeOptions.config.attempt;

/**
 * Brute-force limits of the accounts service itself (R-RL-2), behind the
 * gateway's: per client IP (checked before the body is read) and per account
 * (the email in the body, hashed: no address reaches Redis), each per action.
 * Both fail closed: with Redis down these routes answer 503
 * RATE_LIMIT_UNAVAILABLE with Retry-After rather than run unprotected.
 */
export function attemptPolicies(budgets: AttemptBudgets): RateLimitPolicy[] {
  return [
    definePolicy({
      name: POLICY.ip,
      algorithm: 'gcra',
      limit: budgets.ip.max,
      windowMs: budgets.ip.windowSeconds * 1000,
      stage: 'request',
      whenUnavailable: 'closed',
      key: (request) => `${actionOf(request)}:ip:${clientAddressKey(request.ip)}`,
    }),
    definePolicy({
      name: POLICY.account,
      algorithm: 'gcra',
      limit: budgets.account.max,
      windowMs: budgets.account.windowSeconds * 1000,
      stage: 'handler',
      whenUnavailable: 'closed',
      key: (request) => {
        const account = accountKeyFromBody(request.body);
        return account === undefined ? undefined : `${actionOf(request)}:account:${account}`;
      },
    }),
  ];
}

/** Only routes that declare an attempt action are limited here. */
export function selectAttemptPolicies(request: FastifyRequest): readonly string[] {
  return actionOf(request) === undefined ? [] : [POLICY.ip, POLICY.account];
}
