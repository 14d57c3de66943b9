import { IDENTITY_HEADERS, ROLES } from '@bursary/auth';
import type { FastifyRequest } from 'fastify';
import { PrincipalErrors } from './principal-errors.js';

/** The caller as the gateway verified it (R-AUTH-1): identity headers are stripped from clients and set by the gateway only. */
export interface Caller {
  userId: string;
  roles: readonly string[];
  providerOrg: string | undefined;
}

/** Accounts issues user ids as UUIDs; ledger accounts and events are keyed by them. */
const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ORG = /^[\x21-\x7e]{1,128}$/;

function single(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function callerOf(request: FastifyRequest): Caller {
  const userId = single(request.headers[IDENTITY_HEADERS.userId]);
  if (!userId || !USER_ID.test(userId)) throw PrincipalErrors.PAYMENTS_AUTH_REQUIRED();
  const roles = (single(request.headers[IDENTITY_HEADERS.roles]) ?? '').split(',').filter((role) => role !== '');
  const org = single(request.headers[IDENTITY_HEADERS.providerOrg]);
  return { userId: userId.toLowerCase(), roles, providerOrg: org && ORG.test(org) ? org : undefined };
}

export function isAdmin(caller: Caller): boolean {
  return caller.roles.includes(ROLES.admin);
}

export function requireAdmin(caller: Caller): void {
  if (!isAdmin(caller)) throw PrincipalErrors.PAYMENTS_FORBIDDEN({ detail: 'This operation needs the admin role.' });
}

/** The provider organization of a provider caller. */
export function requireProviderOrg(caller: Caller): string {
  if (!caller.roles.includes(ROLES.provider) || !caller.providerOrg) throw PrincipalErrors.PAYMENTS_FORBIDDEN({ detail: 'This operation needs the provider role.' });
  return caller.providerOrg;
}
