import { EdgeErrors, type HostRejectionReason } from '@bursary/service-kit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isHostAllowed, parseHost, parseHostPattern, type ParsedHost } from '../modules/edge/host-rules.js';
import { trustedPeerMatcher } from '../modules/edge/trusted-peers.js';

export type HostsMode = 'enforce' | 'monitor';

export interface HostAllowlistOptions {
  /** Canonical entries (config ALLOWED_HOSTS); grammar in modules/edge/host-rules.ts. */
  allowedHosts: readonly string[];
  /** Config TRUSTED_PROXIES: peers whose X-Forwarded-Host is believed. */
  trustedProxies: readonly string[];
  /** APP_ENV=test only (the config refuses it elsewhere): any well-formed Host passes. */
  testBypass: boolean;
  /** GET/HEAD of exactly /healthz or /readyz pass with any well-formed Host. */
  healthBypass: boolean;
  /** The live `hosts.mode` (R-HOST-4), read on every request. */
  mode: () => HostsMode;
}

/** Exact request targets (raw, as sent) of the health bypass: no query, no case or slash games. */
const HEALTH_TARGETS = new Set(['/healthz', '/readyz']);

type Verdict = { ok: true } | { ok: false; reason: HostRejectionReason; detail: string; value: string };

const reject = (reason: HostRejectionReason, detail: string, value: string): Verdict => ({ ok: false, reason, detail, value });

/** How many Host fields the client sent; Node keeps only the first in `headers.host`. */
function hostFieldCount(rawHeaders: readonly string[]): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === 'host') count++;
  return count;
}

/** The last X-Forwarded-Host value: the one our trusted peer appended. */
function lastForwardedHost(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const joined = Array.isArray(header) ? header.join(',') : header;
  return joined.slice(joined.lastIndexOf(',') + 1).trim();
}

/** The authority of an absolute-form target (`GET http://host/ HTTP/1.1`), which RFC 9112 §3.2.2 puts before Host. */
function absoluteFormAuthority(target: string): string | undefined | false {
  if (target.startsWith('/') || target === '*') return undefined;
  try {
    return new URL(target).host;
  } catch {
    return false;
  }
}

/**
 * The host allowlist (R-HOST-1..4): the gateway's first own onRequest hook,
 * registered right after buildService, so it runs for every request (matched
 * route, 404, 405, OPTIONS, HEAD, proxied) before routing work, the WAF,
 * CORS, rate limits, auth, body parsing or any upstream call. Only the kit's
 * cheaper guards precede it (request id, security headers, an absent or
 * empty Host, draining, load shedding), and they can only refuse too.
 *
 * The checked host is the Host header, or, when the socket peer is one of
 * TRUSTED_PROXIES, the last X-Forwarded-Host value (the Host then must still
 * be single and well-formed). An absolute-form request target must name an
 * allowed host as well. Refusals are 400 problem+json HOST_NOT_ALLOWED,
 * counted in `host_rejections_total{reason,mode}`; in `hosts.mode=monitor`
 * they are logged and counted as would-reject, and the request passes.
 */
async function hostAllowlist(app: FastifyInstance, options: HostAllowlistOptions): Promise<void> {
  const patterns = options.allowedHosts.map(parseHostPattern);
  const isTrustedPeer = trustedPeerMatcher(options.trustedProxies);
  const allowed = (host: ParsedHost) => options.testBypass || isHostAllowed(host, patterns);

  function verdict(request: FastifyRequest): Verdict {
    const raw = request.raw;
    const hostHeader = raw.headers.host ?? '';
    if (hostFieldCount(raw.rawHeaders) > 1) return reject('duplicate', 'The request carries more than one Host header.', hostHeader);
    if (hostHeader.trim() === '') return reject('empty', 'The Host header is empty.', hostHeader);
    const host = parseHost(hostHeader);
    if (!host) return reject('malformed', 'The Host header is not a valid host name with an optional port.', hostHeader);

    let checked = host;
    let checkedValue = hostHeader;
    const forwarded = isTrustedPeer(raw.socket?.remoteAddress) ? lastForwardedHost(raw.headers['x-forwarded-host']) : undefined;
    if (forwarded !== undefined) {
      const parsed = parseHost(forwarded);
      if (!parsed) return reject(forwarded === '' ? 'empty' : 'malformed', 'The X-Forwarded-Host from the proxy is not a valid host name.', forwarded);
      checked = parsed;
      checkedValue = forwarded;
    }

    const authority = absoluteFormAuthority(raw.url ?? '');
    if (authority === false) return reject('malformed', 'The request target is not a valid URL.', raw.url ?? '');
    if (authority !== undefined) {
      const parsed = parseHost(authority);
      if (!parsed) return reject('malformed', 'The request target names a malformed host.', authority);
      if (!allowed(parsed)) return reject('unknown', 'The request target names a host this service does not answer for.', authority);
    }

    if (allowed(checked)) return { ok: true };
    if (options.healthBypass && HEALTH_TARGETS.has(raw.url ?? '') && (request.method === 'GET' || request.method === 'HEAD')) return { ok: true };
    return reject('unknown', 'This service does not answer for that host.', checkedValue);
  }

  app.addHook('onRequest', async (request) => {
    const result = verdict(request);
    if (result.ok) return;
    const mode = options.mode();
    app.hostRejections.inc({ reason: result.reason, mode });
    // The value is the client's: logged (JSON-escaped, cut short) to find misconfigured names, never echoed back.
    const logged = { hostReason: result.reason, hostValue: result.value.slice(0, 100), hostsMode: mode };
    if (mode === 'monitor') {
      request.log.warn(logged, 'host not allowed (monitor mode: passed)');
      return;
    }
    request.log.info(logged, 'host not allowed');
    throw EdgeErrors.HOST_NOT_ALLOWED({ detail: result.detail });
  });
}

export const hostAllowlistPlugin = fp(hostAllowlist, {
  name: '@bursary/gateway-host-allowlist',
  fastify: '5.x',
  dependencies: ['@bursary/errors', '@bursary/host-header-guard'],
});
