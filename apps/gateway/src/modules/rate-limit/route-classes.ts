import { BlockList, isIP } from 'node:net';
import { ConfigError } from '@bursary/config';
import type { FastifyRequest } from 'fastify';
import { POLICY } from './rate-limit-policies.js';

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * Mutating requests on route patterns below /v1/auth/ are authentication
 * attempts (login, provider login, signup, refresh, password reset, and
 * whatever accounts adds there later: fail-safe, limited as auth unless
 * listed in AUTH_NOT_BRUTE_FORCE). Works whether the table routes
 * `/v1/auth/*` as one pattern or declares each endpoint.
 */
const AUTH_PREFIX = '/v1/auth/';

/** Mutating auth requests that are not guessing attempts: logout revokes by token and must work while Redis is down. */
const AUTH_NOT_BRUTE_FORCE = new Set(['logout']);

/** The action below /v1/auth/ (`login`, `password-reset/request`), from the pattern or, for `*`, as the router decoded it. */
function authAction(request: FastifyRequest, route: string): string {
  let action = route.slice(AUTH_PREFIX.length);
  if (action === '*') {
    const rest = (request.params as Record<string, unknown> | undefined)?.['*'];
    action = typeof rest === 'string' ? rest : '';
  }
  return action.toLowerCase().replace(/\/+$/, '');
}

/**
 * Server-to-server routes that authenticate by signature and whose sender
 * retries on its own schedule (the PSP's webhooks): throttling them would
 * only delay money movements.
 */
const UNLIMITED_ROUTES = new Set(['/v1/psp/webhooks']);

const EXEMPT_FORM = 'comma-separated IP addresses or CIDRs never rate limited (monitors, synthetic canaries, load tests), e.g. 10.1.2.0/24; empty for none';

/** RATE_LIMIT_EXEMPT as a BlockList; a malformed entry fails the boot naming the variable. */
export function parseExemptList(value: string): BlockList | undefined {
  const entries = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (entries.length === 0) return undefined;
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? (family === 4 ? 32 : 128) : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (family === 0 || rest.length > 0 || !(bits >= 0 && bits <= (family === 4 ? 32 : 128))) {
      throw new ConfigError('RATE_LIMIT_EXEMPT', EXEMPT_FORM, value);
    }
    list.addSubnet(address, bits, family === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}

export { EXEMPT_FORM as RATE_LIMIT_EXEMPT_FORM };

function isExempt(list: BlockList | undefined, ip: string): boolean {
  if (!list) return false;
  const family = isIP(ip);
  if (family === 0) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped ? list.check(mapped[1]!, 'ipv4') : list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Which policies a request is counted under, decided by the matched route
 * pattern (never the raw path, so `/v1/%61uth/login` is still an auth
 * request) and the method. Only routes the gateway proxies under /v1 are
 * limited; health, readiness, docs, SEO pages and unmatched paths are not.
 */
export function selectPolicies(exempt: BlockList | undefined): (request: FastifyRequest) => readonly string[] {
  return (request) => {
    const route = request.routeOptions.url;
    if (!route || !(route === '/v1' || route.startsWith('/v1/'))) return [];
    if (UNLIMITED_ROUTES.has(route) || isExempt(exempt, request.ip)) return [];
    if (READ_METHODS.has(request.method)) return [POLICY.read];
    // Preflights are answered by CORS before they reach an upstream.
    if (request.method === 'OPTIONS') return [];
    if (route.startsWith(AUTH_PREFIX) && !AUTH_NOT_BRUTE_FORCE.has(authAction(request, route))) return [POLICY.authIp, POLICY.authAccount];
    return [POLICY.write];
  };
}
