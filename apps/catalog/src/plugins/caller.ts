import { AuthErrors, IDENTITY_HEADERS, ROLES } from '@bursary/auth';
import type { FastifyRequest } from 'fastify';
import { CatalogErrors } from '../modules/catalog-errors.js';

/**
 * The caller as the gateway vouches for it. The gateway verifies the access
 * token and removes every client-sent `x-bursary-*` header before setting
 * these (packages/auth identity-headers), so the catalog believes them; it is
 * never reachable except through the gateway.
 */
interface Caller {
  userId: string;
  roles: readonly string[];
  providerOrg: string | undefined;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

function callerOf(request: FastifyRequest): Caller | undefined {
  const userId = header(request, IDENTITY_HEADERS.userId);
  if (userId === undefined) return undefined;
  const roles = (header(request, IDENTITY_HEADERS.roles) ?? '').split(',').filter((role) => role !== '');
  return { userId, roles, providerOrg: header(request, IDENTITY_HEADERS.providerOrg) };
}

/** The signed-in user's id; 401 when the request carries no verified identity. */
export function requireUser(request: FastifyRequest): string {
  const caller = callerOf(request);
  if (!caller) throw AuthErrors.AUTH_REQUIRED({ detail: 'This route needs a signed-in user.' });
  return caller.userId;
}

/** The provider organization the caller acts for (R-CAT-3: own organization only). */
export function requireProviderOrg(request: FastifyRequest): { userId: string; orgId: string } {
  const caller = callerOf(request);
  if (!caller) throw AuthErrors.AUTH_REQUIRED({ detail: 'The provider portal needs a signed-in provider.' });
  if (!caller.roles.includes(ROLES.provider)) throw AuthErrors.AUTH_FORBIDDEN({ detail: 'The provider portal needs the provider role.' });
  if (caller.providerOrg === undefined) throw CatalogErrors.CATALOG_PROVIDER_ORG_MISSING();
  return { userId: caller.userId, orgId: caller.providerOrg };
}

/** The signed-in user's id when there is one (public routes: recommendations of the funnel). */
export function optionalUser(request: FastifyRequest): string | undefined {
  return callerOf(request)?.userId;
}
