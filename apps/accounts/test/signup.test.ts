import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newEmail, startHarness, strongPassword, type Harness } from './support/accounts-harness.js';

describe('signup', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('R-ID-1: signup answers 201 with the normalized email, stores an argon2id hash and emits accounts.user.signed_up.v1 through the outbox', async () => {
    const email = newEmail();
    const response = await h.post('/v1/auth/signup', { email: `  ${email.toUpperCase()} `, password: strongPassword() });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ email });
    const [user] = await h.admin`select id, email, password_hash, roles from accounts.users where email = ${email}`;
    expect(user).toMatchObject({ email, roles: [] });
    expect(user!['password_hash']).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    const events = await h.admin`select type, envelope from accounts.outbox where envelope->>'subject' = ${user!['id']}`;
    expect(events.map((event) => event['type'])).toEqual(['accounts.user.signed_up.v1']);
    expect(JSON.stringify(events[0]!['envelope'])).not.toContain(email);
  });

  it('R-ID-2: a taken email gets the same 201 and body, changes nothing, and is audited as a duplicate', async () => {
    const email = newEmail();
    const first = await h.post('/v1/auth/signup', { email, password: strongPassword() });
    const [before] = await h.admin`select password_hash from accounts.users where email = ${email}`;
    const again = await h.post('/v1/auth/signup', { email: email.toUpperCase(), password: strongPassword() });
    expect(again.statusCode).toBe(first.statusCode);
    expect(again.json()).toEqual(first.json());
    const [after] = await h.admin`select password_hash from accounts.users where email = ${email}`;
    expect(after!['password_hash']).toBe(before!['password_hash']);
    const audit = await h.admin`select outcome, details from accounts.audit_log where action = 'signup' and request_id = ${again.headers['x-request-id'] as string}`;
    expect(audit).toEqual([{ outcome: 'failure', details: { reason: 'duplicate_email' } }]);
  });

  it.each([
    ['too_short', 'Short-pw-1'],
    ['common', 'Password123!'],
    ['predictable', 'abcdefghijklmnop'],
    ['predictable', 'zzzzzzzzzzzzzzzz'],
    ['too_long', 'x'.repeat(129)],
  ])('R-ID-1: a password breaking the policy (%s) is 400 AUTH_PASSWORD_REJECTED naming the rule', async (rule, password) => {
    const response = await h.post('/v1/auth/signup', { email: newEmail(), password });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = response.json();
    expect(body).toMatchObject({ code: 'AUTH_PASSWORD_REJECTED', violations: [rule], errors: [{ field: '/body/password' }] });
    expect(body.detail.length).toBeGreaterThan(20);
  });

  it('R-ID-1: a password containing the email (or its parts) is refused as similar_to_email', async () => {
    const email = `ada.lovelace-${Date.now()}@bursary.test`;
    const response = await h.post('/v1/auth/signup', { email, password: `Lovelace-${Date.now()}-Engine!` });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'AUTH_PASSWORD_REJECTED', violations: ['similar_to_email'] });
  });

  it('R-ID-1: an implausible email is 400 AUTH_INVALID_EMAIL; extra fields (roles) are 400 VALIDATION_FAILED', async () => {
    const invalid = await h.post('/v1/auth/signup', { email: 'not-an-address', password: strongPassword() });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ code: 'AUTH_INVALID_EMAIL' });
    // Roles come only from operator commands (R-ID-1): the body cannot carry them.
    const withRoles = await h.post('/v1/auth/signup', { email: newEmail(), password: strongPassword(), roles: ['admin'] });
    expect(withRoles.statusCode).toBe(400);
    expect(withRoles.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
