/**
 * The gateway's public surface: which paths go to which service, with which
 * methods and how long the upstream may take. Anything not listed here is a
 * 404 problem+json from the error boundary; a listed path with an unlisted
 * method is a 405 with Allow.
 *
 * Path notation (find-my-way syntax plus one shorthand):
 *   '/v1/me'               exactly this path
 *   '/v1/auth/*'           everything below /v1/auth/ (not /v1/auth itself)
 *   '/v1/scholarships*'    the path itself and everything below it, but not
 *                          /v1/scholarshipsfoo (expands to '/x' and '/x/*')
 *   '/scholarships/:slug'  one segment parameter
 *
 * Access (R-AUTH-1) is declared on every entry, never derived from the URL:
 *   PUBLIC               no token (login, signup, refresh, password reset,
 *                        public catalog, SEO pages, JWKS, PSP webhooks)
 *   AUTHENTICATED        any valid access token (the student's own data)
 *   requireRole(…)       a valid token carrying one of the roles
 *   { byMethod: {…} }    when methods of one path differ; a method left out
 *                        needs a token (fails closed)
 * Health and docs are the gateway's own routes, not in this table, and public.
 */
import { AUTHENTICATED, PUBLIC, requireRole, ROLES, type RouteAccess } from '@bursary/auth';
import type { FieldExclusion } from '@bursary/waf';

export const UPSTREAMS = ['accounts', 'catalog', 'payments', 'webhooks'] as const;
export type Upstream = (typeof UPSTREAMS)[number];

/** Timeout classes; their milliseconds come from config (UPSTREAM_*_TIMEOUT_MS). */
export type TimeoutClass = 'read' | 'default' | 'payment';

export type ProxyMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteEntry {
  readonly path: string;
  readonly upstream: Upstream;
  /** GET implies HEAD (Fastify exposes HEAD for every GET route). */
  readonly methods: readonly ProxyMethod[];
  readonly timeout: TimeoutClass;
  /** Who may call it; enforced by the edge auth plugin before the request is proxied. */
  readonly access: RouteAccess;
  /**
   * Values the WAF does not inspect on this route (R-WAF-3), by JSON pointer:
   * declared here, with the route, never global by field name.
   */
  readonly wafExclusions?: readonly RouteWafExclusion[];
  /** A public SEO page: crawlers verified by their published address ranges fetch it uninspected (R-WAF-5). */
  readonly seo?: true;
}

/** A WAF field exclusion whose route is the entry it is declared on. */
export type RouteWafExclusion = Omit<FieldExclusion, 'route'>;

// A password is hashed, never parsed, rendered or put in a query: any
// character is legitimate in it (`' OR 1=1 --` included), so no rule family
// inspects it. Accounts still validates length.
const PASSWORD: readonly RouteWafExclusion[] = [{ location: 'body', pointer: '/password' }];
const NEW_PASSWORD: readonly RouteWafExclusion[] = [{ location: 'body', pointer: '/newPassword' }];
// Search text (`O'Brien`, `art or music`, `1st-gen -- 2025`) that catalog
// binds as a full-text query parameter: SQL look-alikes are normal there.
// Other rule families still inspect it.
const SEARCH_TEXT: readonly RouteWafExclusion[] = [{ location: 'query', pointer: '/q', categories: ['sqli'] }];

const READ = ['GET'] as const;
const READ_CREATE = ['GET', 'POST'] as const;
const READ_WRITE = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

const PROVIDER = requireRole(ROLES.provider);

export const ROUTES: readonly RouteEntry[] = [
  // accounts: identity. The credential endpoints are public: the credential
  // (password, refresh token, reset token) is in the body and accounts checks
  // it. Logout is one of them: it revokes by refresh token and must work with
  // an expired access token. Anything else accounts serves below /v1/auth/
  // needs an access token until it is declared here.
  { path: '/v1/auth/signup', upstream: 'accounts', methods: ['POST'], timeout: 'default', access: PUBLIC, wafExclusions: PASSWORD },
  { path: '/v1/auth/login', upstream: 'accounts', methods: ['POST'], timeout: 'default', access: PUBLIC, wafExclusions: PASSWORD },
  { path: '/v1/auth/provider/login', upstream: 'accounts', methods: ['POST'], timeout: 'default', access: PUBLIC, wafExclusions: PASSWORD },
  { path: '/v1/auth/refresh', upstream: 'accounts', methods: ['POST'], timeout: 'default', access: PUBLIC },
  { path: '/v1/auth/logout', upstream: 'accounts', methods: ['POST'], timeout: 'default', access: PUBLIC },
  { path: '/v1/auth/password-reset/request', upstream: 'accounts', methods: ['POST'], timeout: 'default', access: PUBLIC },
  { path: '/v1/auth/password-reset/confirm', upstream: 'accounts', methods: ['POST'], timeout: 'default', access: PUBLIC, wafExclusions: NEW_PASSWORD },
  { path: '/v1/auth/*', upstream: 'accounts', methods: READ_CREATE, timeout: 'default', access: AUTHENTICATED },
  { path: '/v1/me', upstream: 'accounts', methods: ['GET', 'PATCH', 'DELETE'], timeout: 'default', access: AUTHENTICATED },
  { path: '/.well-known/jwks.json', upstream: 'accounts', methods: READ, timeout: 'read', access: PUBLIC },

  // catalog: the public catalog (list, detail, search, eligibility) is open;
  // recommendations are personal (from the student's eligibility profile,
  // /v1/profile), the student
  // workflow is the student's own, listings are the provider's.
  { path: '/v1/scholarships*', upstream: 'catalog', methods: READ, timeout: 'read', access: PUBLIC, wafExclusions: SEARCH_TEXT },
  { path: '/v1/search', upstream: 'catalog', methods: READ, timeout: 'read', access: PUBLIC, wafExclusions: SEARCH_TEXT },
  { path: '/v1/eligibility', upstream: 'catalog', methods: READ_CREATE, timeout: 'read', access: PUBLIC },
  { path: '/v1/recommendations', upstream: 'catalog', methods: READ, timeout: 'read', access: AUTHENTICATED },
  { path: '/v1/profile', upstream: 'catalog', methods: ['GET', 'PUT'], timeout: 'default', access: AUTHENTICATED },
  { path: '/v1/shortlist*', upstream: 'catalog', methods: READ_WRITE, timeout: 'default', access: AUTHENTICATED },
  { path: '/v1/applications*', upstream: 'catalog', methods: READ_WRITE, timeout: 'default', access: AUTHENTICATED },
  { path: '/v1/provider/scholarships*', upstream: 'catalog', methods: READ_WRITE, timeout: 'default', access: PROVIDER },

  // catalog: public SEO pages
  { path: '/robots.txt', upstream: 'catalog', methods: READ, timeout: 'read', access: PUBLIC, seo: true },
  { path: '/sitemap.xml', upstream: 'catalog', methods: READ, timeout: 'read', access: PUBLIC, seo: true },
  { path: '/sitemap-:part(^[A-Za-z0-9_-]+).xml', upstream: 'catalog', methods: READ, timeout: 'read', access: PUBLIC, seo: true },
  { path: '/scholarships/:slug', upstream: 'catalog', methods: READ, timeout: 'read', access: PUBLIC, seo: true },

  // payments: money moves, so the upstream gets longer (it may be waiting on the PSP).
  // Credit packages are not in R-AUTH-1's public list, so they need a token too.
  // PSP webhooks carry no token: payments verifies the Stripe-Signature (R-PAY-4).
  { path: '/v1/credit-packages', upstream: 'payments', methods: READ, timeout: 'read', access: AUTHENTICATED },
  { path: '/v1/credits', upstream: 'payments', methods: READ, timeout: 'read', access: AUTHENTICATED },
  { path: '/v1/purchases*', upstream: 'payments', methods: READ_CREATE, timeout: 'payment', access: AUTHENTICATED },
  { path: '/v1/refunds*', upstream: 'payments', methods: READ_CREATE, timeout: 'payment', access: AUTHENTICATED },
  { path: '/v1/psp/webhooks', upstream: 'payments', methods: ['POST'], timeout: 'payment', access: PUBLIC },
  // The payout ledger (R-PAY-5): admins pay providers out; a provider reads its own.
  { path: '/v1/payouts', upstream: 'payments', methods: READ_CREATE, timeout: 'payment', access: requireRole(ROLES.admin) },
  { path: '/v1/provider/payouts', upstream: 'payments', methods: READ, timeout: 'read', access: PROVIDER },

  // webhooks: provider subscriptions and delivery log (admins replay dead letters too)
  { path: '/v1/provider/webhook-endpoints*', upstream: 'webhooks', methods: READ_WRITE, timeout: 'default', access: PROVIDER },
  { path: '/v1/webhook-deliveries*', upstream: 'webhooks', methods: READ_CREATE, timeout: 'default', access: requireRole(ROLES.provider, ROLES.admin) },
];

/** The Fastify/find-my-way URL patterns one entry registers. */
export function routePatterns(entry: Pick<RouteEntry, 'path'>): string[] {
  if (entry.path.endsWith('/*') || !entry.path.endsWith('*')) return [entry.path];
  const base = entry.path.slice(0, -1);
  return [base, `${base}/*`];
}
