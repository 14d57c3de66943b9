import type { Principal } from './principal.js';

/**
 * Who may call a route (R-AUTH-1), declared per route in a routing table,
 * never derived from a URL pattern.
 *   public         no token needed; a token sent anyway is not verified
 *   authenticated  any valid access token
 *   role           a valid access token carrying at least one of `anyOf`
 */
export type Access =
  | { readonly kind: 'public' }
  | { readonly kind: 'authenticated' }
  | { readonly kind: 'role'; readonly anyOf: readonly string[] };

/** One Access for every method of a route, or one per method (e.g. GET public, POST authenticated). */
export type RouteAccess = Access | { readonly byMethod: Readonly<Partial<Record<string, Access>>> };

export const ROLES = { provider: 'provider', admin: 'admin' } as const;

export const PUBLIC: Access = Object.freeze({ kind: 'public' });
export const AUTHENTICATED: Access = Object.freeze({ kind: 'authenticated' });

export function requireRole(...anyOf: [string, ...string[]]): Access {
  return Object.freeze({ kind: 'role', anyOf: Object.freeze([...anyOf]) });
}

/**
 * The Access of one request method. HEAD follows GET (Fastify answers HEAD
 * with the GET route); a method the declaration forgot needs a token, so a
 * gap in the table fails closed.
 */
export function accessForMethod(route: RouteAccess, method: string): Access {
  if (!('byMethod' in route)) return route;
  const upper = method.toUpperCase();
  return route.byMethod[upper] ?? (upper === 'HEAD' ? route.byMethod['GET'] : undefined) ?? AUTHENTICATED;
}

/** Whether an authenticated principal satisfies a non-public Access. */
export function isAllowed(principal: Principal, access: Access): boolean {
  if (access.kind !== 'role') return true;
  return access.anyOf.some((role) => principal.roles.includes(role));
}
