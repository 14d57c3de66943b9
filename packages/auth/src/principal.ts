import type { JWTPayload } from 'jose';

/** The verified caller of a request: what the gateway tells upstreams. */
export interface Principal {
  /** The `sub` claim: the user id. */
  readonly userId: string;
  /** The `roles` claim (e.g. `provider`, `admin`); empty for a plain student. */
  readonly roles: readonly string[];
  /** The `org` claim: the provider organization of a provider user. */
  readonly providerOrg: string | undefined;
  /** The `exp` claim, seconds since the epoch. */
  readonly expiresAt: number;
}

// Values end up in HTTP headers to upstreams: visible ASCII only, no comma
// in roles (the roles header is a comma list), bounded lengths.
const IDENTIFIER = /^[\x21-\x7e]{1,128}$/;
const ROLE = /^[a-z][a-z0-9_-]{0,31}$/;
const MAX_ROLES = 16;

/** Thrown when a correctly signed token carries claims we cannot forward safely. */
export class ClaimsError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ClaimsError';
  }
}

/** The principal of a verified token; rejects claims that are missing, of the wrong type or unsafe to forward. */
export function principalFromClaims(payload: JWTPayload): Principal {
  const { sub, exp } = payload;
  if (typeof sub !== 'string' || !IDENTIFIER.test(sub)) throw new ClaimsError('sub is missing or not a plain identifier');
  if (typeof exp !== 'number') throw new ClaimsError('exp is missing');
  const roles = payload['roles'] ?? [];
  if (!Array.isArray(roles) || roles.length > MAX_ROLES || !roles.every((role): role is string => typeof role === 'string' && ROLE.test(role))) {
    throw new ClaimsError('roles is not a short list of role names');
  }
  const org = payload['org'];
  if (org !== undefined && (typeof org !== 'string' || !IDENTIFIER.test(org))) throw new ClaimsError('org is not a plain identifier');
  return { userId: sub, roles: [...new Set(roles)], providerOrg: org, expiresAt: exp };
}
