import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountsDb } from '../src/db/database.js';
import { createPasswordHasher } from '../src/modules/passwords/password-hasher.js';
import { provisionUser, ProvisioningError } from '../src/modules/users/provisioning.js';
import { newEmail, signedIn, startHarness, strongPassword, type Harness } from './support/accounts-harness.js';

describe('provider portal login and operator-made roles', () => {
  let h: Harness;
  let db: AccountsDb;
  const hasher = createPasswordHasher({ memoryKiB: 19_456, timeCost: 2, parallelism: 1 });
  const cli = { ip: undefined, requestId: 'cli:test' };
  beforeAll(async () => {
    h = await startHarness();
    db = h.app.database.db as AccountsDb;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('R-ID-1: a provider user belongs to an organization, logs into the provider portal with the provider role and org claim, and sees the org at /v1/me', async () => {
    const email = newEmail('provider');
    const password = strongPassword();
    const result = await provisionUser(db, hasher, { email, role: 'provider', password, organization: { name: 'Ada Lovelace Foundation' } }, cli);
    expect(result).toMatchObject({ created: true, granted: true, organizationId: expect.any(String) });

    const login = await h.post('/v1/auth/provider/login', { email, password });
    expect(login.statusCode).toBe(200);
    const claims = decodeJwt(login.json().accessToken);
    expect(claims).toMatchObject({ sub: result.userId, roles: ['provider'], org: result.organizationId });

    const me = await h.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${login.json().accessToken}` } });
    expect(me.json()).toMatchObject({ id: result.userId, roles: ['provider'], organization: { id: result.organizationId, name: 'Ada Lovelace Foundation' } });

    // A second user joins the same organization.
    const colleague = await provisionUser(db, hasher, { email: newEmail('provider'), role: 'provider', password: strongPassword(), organization: { id: result.organizationId! } }, cli);
    expect(colleague.organizationId).toBe(result.organizationId);
  });

  it('R-ID-2: a student on the provider login gets the same 401 as a wrong password', async () => {
    const { email, password } = await signedIn(h);
    const response = await h.post('/v1/auth/provider/login', { email, password });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });
    const [audit] = await h.admin`select action, details from accounts.audit_log where request_id = ${response.headers['x-request-id'] as string}`;
    expect(audit).toMatchObject({ action: 'provider_login', details: { reason: 'not_provider' } });
  });

  it('R-ID-1: an admin is made by the operator command (provisionUser), granted to an existing account too, audited and announced; no route can do it', async () => {
    const { email, tokens } = await signedIn(h);
    const granted = await provisionUser(db, hasher, { email, role: 'admin' }, cli);
    expect(granted).toMatchObject({ created: false, granted: true });
    expect(await provisionUser(db, hasher, { email, role: 'admin' }, cli)).toMatchObject({ granted: false });
    // The role is in the next access token.
    const refreshed = (await h.post('/v1/auth/refresh', { refreshToken: tokens.refreshToken })).json();
    expect(decodeJwt(refreshed.accessToken)).toMatchObject({ roles: ['admin'] });
    const audit = await h.admin`select action, outcome, user_id, request_id, details from accounts.audit_log where action = 'role_granted' and user_id = ${granted.userId}`;
    expect(audit).toEqual([{ action: 'role_granted', outcome: 'success', user_id: granted.userId, request_id: 'cli:test', details: { role: 'admin', via: 'cli' } }]);
    const events = await h.admin`select envelope->'data' as data from accounts.outbox where type = 'accounts.user.role_granted.v1' and envelope->>'subject' = ${granted.userId}`;
    expect(events).toEqual([{ data: { userId: granted.userId, role: 'admin' } }]);

    const routes = h.app.printRoutes({ commonPrefix: false });
    expect(routes).not.toMatch(/admin|role/i);
  });

  it('R-ID-1: the command refuses what it cannot do safely: a weak password, a missing organization, a second organization', async () => {
    await expect(provisionUser(db, hasher, { email: newEmail(), role: 'admin', password: 'Password123!' }, cli)).rejects.toMatchObject({ code: 'AUTH_PASSWORD_REJECTED' });
    await expect(provisionUser(db, hasher, { email: newEmail(), role: 'provider', password: strongPassword() }, cli)).rejects.toBeInstanceOf(ProvisioningError);
    await expect(provisionUser(db, hasher, { email: newEmail(), role: 'admin' }, cli)).rejects.toThrow(/password is needed/);
    const email = newEmail('provider');
    await provisionUser(db, hasher, { email, role: 'provider', password: strongPassword(), organization: { name: 'First' } }, cli);
    await expect(provisionUser(db, hasher, { email, role: 'provider', organization: { name: 'Second' } }, cli)).rejects.toThrow(/already belongs/);
  });
});
