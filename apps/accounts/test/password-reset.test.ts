import { waitFor } from '@bursary/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResetMailer, type MailTransport } from '../src/modules/password-reset/reset-mailer.js';
import type { AccountsDb } from '../src/db/database.js';
import { newEmail, signedIn, startHarness, strongPassword, type Harness } from './support/accounts-harness.js';

/** The token of the link in an email: ?token=<base64url>. */
function tokenIn(text: string | null): string {
  const match = /[?&]token=([A-Za-z0-9_-]+)/.exec(text ?? '');
  if (!match) throw new Error(`no reset link in: ${text}`);
  return match[1]!;
}

describe('password reset by email', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ PASSWORD_RESET_URL: 'https://bursary.test/reset-password' });
  });
  afterAll(async () => {
    await h?.close();
  });

  const requestReset = (email: string) => h.post('/v1/auth/password-reset/request', { email });
  const confirm = (token: string, newPassword: string) => h.post('/v1/auth/password-reset/confirm', { token, newPassword });
  const login = (email: string, password: string) => h.post('/v1/auth/login', { email, password });

  it('R-ID-2: the request is 202 with the same body whether or not the email has an account', async () => {
    const { email } = await signedIn(h);
    const known = await requestReset(email);
    const unknown = await requestReset(newEmail('nobody'));
    const malformed = await requestReset('not-an-address');
    for (const response of [known, unknown, malformed]) {
      expect(response.statusCode).toBe(202);
      expect(response.json()).toEqual({ status: 'accepted' });
    }
  });

  it('R-ID-1: request → outbox event without token or address → SMTP email with ?token= link → confirm sets the password and revokes every session; the token works once', async () => {
    const { email, password, tokens } = await signedIn(h);
    expect((await requestReset(email)).statusCode).toBe(202);

    const [event] = await h.admin`select envelope from accounts.outbox where type = 'accounts.password_reset.requested.v1' and envelope->'data'->>'userId' = (select id::text from accounts.users where email = ${email})`;
    expect(Object.keys((event!['envelope'] as { data: object }).data).sort()).toEqual(['expiresAt', 'resetId', 'userId']);
    expect(JSON.stringify(event)).not.toContain(email);

    const message = await h.nextEmail(email);
    expect(message.subject).toBe('Reset your Bursary password');
    expect(message.text).toContain('https://bursary.test/reset-password?token=');
    const token = tokenIn(message.text);
    expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    // The email is the only place the token exists: the database has its SHA-256.
    // sent_at is written once the SMTP server accepted the message, which is just after the sink has it.
    const stored = await waitFor(async () => {
      const [row] = await h.admin`select encode(token_hash, 'hex') as hash, sent_at, expires_at - created_at as ttl from accounts.password_resets where user_id = (select id from accounts.users where email = ${email})`;
      return row?.['sent_at'] ? row : undefined;
    }, { what: 'the reset marked sent' });
    expect(stored['hash']).toHaveLength(64);
    expect(stored['ttl']).toBe('00:30:00');

    const newPassword = strongPassword();
    expect((await confirm(token, newPassword)).statusCode).toBe(204);
    expect((await login(email, password)).statusCode).toBe(401);
    expect((await login(email, newPassword)).statusCode).toBe(200);
    // Every session of the account ended with the reset.
    expect((await h.post('/v1/auth/refresh', { refreshToken: tokens.refreshToken })).statusCode).toBe(401);
    // Single use.
    const again = await confirm(token, strongPassword());
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ code: 'AUTH_INVALID_RESET_TOKEN' });
    expect((await login(email, newPassword)).statusCode).toBe(200);
    const events = await h.admin`select type from accounts.outbox where type = 'accounts.user.password_changed.v1' and envelope->>'subject' = (select id::text from accounts.users where email = ${email})`;
    expect(events).toHaveLength(1);
  });

  it('R-ID-1: a weak new password is refused and leaves the token usable; an expired token is refused', async () => {
    const { email } = await signedIn(h);
    await requestReset(email);
    const token = tokenIn((await h.nextEmail(email)).text);
    const weak = await confirm(token, 'Password123!');
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ code: 'AUTH_PASSWORD_REJECTED', violations: ['common'], errors: [{ field: '/body/newPassword' }] });
    await h.admin`update accounts.password_resets set expires_at = now() - interval '1 second' where sent_at is not null and consumed_at is null and user_id = (select id from accounts.users where email = ${email})`;
    const expired = await confirm(token, strongPassword());
    expect(expired.statusCode).toBe(400);
    expect(expired.json()).toMatchObject({ code: 'AUTH_INVALID_RESET_TOKEN' });
    expect((await confirm('A'.repeat(43), strongPassword())).json()).toMatchObject({ code: 'AUTH_INVALID_RESET_TOKEN' });
  });

  it('R-ID-1: confirming one link burns every other open link of the account', async () => {
    const { email } = await signedIn(h);
    await requestReset(email);
    const first = tokenIn((await h.nextEmail(email)).text);
    await requestReset(email);
    const second = tokenIn((await h.nextEmail(email, 1)).text);
    expect(second).not.toBe(first);
    expect((await confirm(second, strongPassword())).statusCode).toBe(204);
    expect((await confirm(first, strongPassword())).statusCode).toBe(400);
  });

  it('R-EVT-1: the mailer is at-least-once and idempotent: a failed send is retried with a fresh token, a redelivery after a send does nothing', async () => {
    const { email } = await signedIn(h);
    const [user] = await h.admin`select id from accounts.users where email = ${email}`;
    const [reset] = await h.admin`insert into accounts.password_resets (user_id, expires_at) values (${user!['id']}, now() + interval '30 minutes') returning id, expires_at`;
    const sent: string[] = [];
    let failNext = true;
    const transport: MailTransport = {
      async sendMail(message) {
        if (failNext) {
          failNext = false;
          throw new Error('SMTP 421 try again later');
        }
        sent.push(message.text);
      },
    };
    const mailer = createResetMailer({ db: h.app.database.db as AccountsDb, transport, from: 'x@bursary.test', resetUrl: 'https://bursary.test/r' });
    const event = { id: '0190a6e2-0000-7000-8000-000000000000', type: 'accounts.password_reset.requested.v1' as const, occurredAt: new Date().toISOString(), source: 'accounts', subject: user!['id'] as string, data: { userId: user!['id'] as string, resetId: reset!['id'] as string, expiresAt: new Date(reset!['expires_at'] as string).toISOString() } };
    await expect(mailer(event)).rejects.toThrow(/421/);
    await expect(mailer(event)).resolves.toBe('sent');
    await expect(mailer(event)).resolves.toBe('skipped');
    expect(sent).toHaveLength(1);
    expect((await confirm(tokenIn(sent[0]!), strongPassword())).statusCode).toBe(204);
  });
});
