import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { authenticatedUserId, gatewayPolicies, POLICY } from '../src/modules/rate-limit/rate-limit-policies.js';
import { parseExemptList, selectPolicies } from '../src/modules/rate-limit/route-classes.js';

const fakeRequest = (fields: { method?: string; route?: string; params?: Record<string, string>; ip?: string; principal?: unknown; body?: unknown }) =>
  ({
    method: fields.method ?? 'GET',
    routeOptions: { url: fields.route },
    params: fields.params ?? {},
    ip: fields.ip ?? '203.0.113.1',
    principal: fields.principal ?? null,
    body: fields.body,
  }) as unknown as FastifyRequest;

const limits = {
  read: { max: 300, windowSeconds: 60 },
  authIp: { max: 10, windowSeconds: 60 },
  authAccount: { max: 5, windowSeconds: 900 },
  write: { max: 60, windowSeconds: 60 },
};

describe('gateway route classes', () => {
  const select = selectPolicies(parseExemptList('10.9.0.0/16, 2001:db8:ffff::/48'));

  it.each([
    ['GET', '/v1/scholarships*', {}, [POLICY.read]],
    ['HEAD', '/v1/search', {}, [POLICY.read]],
    ['GET', '/v1/auth/*', { '*': 'sessions' }, [POLICY.read]],
    ['POST', '/v1/auth/login', {}, [POLICY.authIp, POLICY.authAccount]],
    ['POST', '/v1/auth/provider/login', {}, [POLICY.authIp, POLICY.authAccount]],
    ['POST', '/v1/auth/signup', {}, [POLICY.authIp, POLICY.authAccount]],
    ['POST', '/v1/auth/refresh', {}, [POLICY.authIp, POLICY.authAccount]],
    ['POST', '/v1/auth/password-reset/request', {}, [POLICY.authIp, POLICY.authAccount]],
    ['POST', '/v1/auth/password-reset/confirm', {}, [POLICY.authIp, POLICY.authAccount]],
    ['POST', '/v1/auth/*', { '*': 'Login/' }, [POLICY.authIp, POLICY.authAccount]],
    ['POST', '/v1/auth/*', { '*': 'something-new' }, [POLICY.authIp, POLICY.authAccount]],
    ['POST', '/v1/auth/logout', {}, [POLICY.write]],
    ['POST', '/v1/auth/*', { '*': 'logout' }, [POLICY.write]],
    ['POST', '/v1/purchases*', {}, [POLICY.write]],
    ['DELETE', '/v1/shortlist*', {}, [POLICY.write]],
    ['OPTIONS', '/v1/purchases*', {}, []],
    ['POST', '/v1/psp/webhooks', {}, []],
    ['GET', '/healthz', {}, []],
    ['GET', '/readyz', {}, []],
    ['GET', '/docs', {}, []],
    ['GET', '/robots.txt', {}, []],
    ['GET', undefined, {}, []],
  ] as const)('R-RL-1: %s %s %j → %j', (method, route, params, expected) => {
    expect(select(fakeRequest({ method, route, params: { ...params } }))).toEqual(expected);
  });

  it('R-RL-1: exempt addresses and networks (IPv4, IPv4-mapped, IPv6) are not limited', () => {
    for (const ip of ['10.9.3.4', '::ffff:10.9.3.4', '2001:db8:ffff:1::5']) {
      expect(select(fakeRequest({ route: '/v1/search', ip })), ip).toEqual([]);
    }
    expect(select(fakeRequest({ route: '/v1/search', ip: '10.10.0.1' }))).toEqual([POLICY.read]);
    expect(() => parseExemptList('10.0.0.0/8,not-an-ip')).toThrow(/RATE_LIMIT_EXEMPT/);
    expect(() => parseExemptList('10.0.0.0/33')).toThrow(/RATE_LIMIT_EXEMPT/);
    expect(parseExemptList(' ')).toBeUndefined();
  });
});

describe('gateway policies', () => {
  const policies = Object.fromEntries(gatewayPolicies(limits).map((p) => [p.name, p]));

  it('R-RL-1, R-RL-2: algorithms, stages and failure modes per class', () => {
    expect(policies[POLICY.read]).toMatchObject({ algorithm: 'sliding-window', limit: 300, windowMs: 60_000, stage: 'request', whenUnavailable: 'open' });
    expect(policies[POLICY.authIp]).toMatchObject({ algorithm: 'gcra', limit: 10, windowMs: 60_000, stage: 'request', whenUnavailable: 'closed' });
    expect(policies[POLICY.authAccount]).toMatchObject({ algorithm: 'gcra', limit: 5, windowMs: 900_000, stage: 'handler', whenUnavailable: 'closed' });
    expect(policies[POLICY.write]).toMatchObject({ algorithm: 'gcra', limit: 60, windowMs: 60_000, stage: 'handler', whenUnavailable: 'open' });
  });

  it('R-RL-1: keys: IP (IPv6 by /64), account from the body (hashed), user from the auth principal or else IP', () => {
    expect(policies[POLICY.read]!.key(fakeRequest({ ip: '2001:db8:1:2::77' }))).toBe('ip:2001:db8:1:2:0:0:0:0/64');
    const account = policies[POLICY.authAccount]!.key(fakeRequest({ body: Buffer.from('{"email":"Ada@Example.org"}') }));
    expect(account).toMatch(/^account:[A-Za-z0-9_-]{32}$/);
    expect(account).not.toContain('example');
    expect(policies[POLICY.authAccount]!.key(fakeRequest({ body: Buffer.from('{"refreshToken":"r"}') }))).toBeUndefined();
    expect(policies[POLICY.write]!.key(fakeRequest({ principal: { userId: 'usr_42', roles: [] } }))).toBe('user:usr_42');
    expect(policies[POLICY.write]!.key(fakeRequest({ ip: '198.51.100.5' }))).toBe('ip:198.51.100.5');
    expect(authenticatedUserId(fakeRequest({ principal: { userId: '' } }))).toBeUndefined();
  });

  it('the user key is pluggable', () => {
    const custom = gatewayPolicies(limits, () => 'from-elsewhere').find((p) => p.name === POLICY.write)!;
    expect(custom.key(fakeRequest({}))).toBe('user:from-elsewhere');
  });
});
