import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from './principal.js';

/**
 * The trusted headers that carry the verified identity from the gateway to
 * the upstreams. Upstreams believe them only because the gateway removes
 * every client-sent header of the reserved `x-bursary-` namespace first.
 */
export const IDENTITY_HEADERS = {
  userId: 'x-bursary-user-id',
  roles: 'x-bursary-roles',
  providerOrg: 'x-bursary-provider-org',
} as const;

const RESERVED_PREFIX = 'x-bursary-';

/**
 * Client headers of the namespace that assert nothing about who the client
 * is and so pass through, by exact name only (an underscore spelling is
 * still stripped): `x-bursary-test` marks synthetic and e2e traffic, whose
 * funnel events are tagged and left out of analytics (R-OPS-6).
 */
const CLIENT_HEADERS = new Set(['x-bursary-test']);

/**
 * Removes every client header in the reserved namespace, whatever the route,
 * except the CLIENT_HEADERS. Underscore spellings (`x_bursary_user_id`) go
 * too: some servers and CGI-style frameworks fold `_` and `-` into the same
 * variable.
 */
export function stripIdentityHeaders(headers: IncomingHttpHeaders): string[] {
  const removed: string[] = [];
  for (const name of Object.keys(headers)) {
    if (CLIENT_HEADERS.has(name)) continue;
    if (name.replaceAll('_', '-').toLowerCase().startsWith(RESERVED_PREFIX)) {
      delete headers[name];
      removed.push(name);
    }
  }
  return removed;
}

export function setIdentityHeaders(headers: IncomingHttpHeaders, principal: Principal): void {
  headers[IDENTITY_HEADERS.userId] = principal.userId;
  headers[IDENTITY_HEADERS.roles] = principal.roles.join(',');
  if (principal.providerOrg !== undefined) headers[IDENTITY_HEADERS.providerOrg] = principal.providerOrg;
}
