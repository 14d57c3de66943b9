import { randomBytes } from 'node:crypto';
import { startMailSink, type MailSink, type ReceivedMessage } from '@bursary/mail-sink';
import { uniqueSuffix, waitFor } from '@bursary/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** The `kid` of a JWS compact token's protected header. */
const kidOf = (jwt: string) => (JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString('utf8')) as { kid?: string }).kid;

// Issue 5's "done when", as a client sees it through the gateway: the built
// services as processes, edge auth enforced, the password reset email
// delivered over SMTP to a mail sink this test runs.
describe('accounts flow through the gateway (e2e)', () => {
  let stack: Stack;
  let mail: MailSink;
  let gateway: string;
  const email = `e2e-${randomBytes(4).toString('hex')}@bursary.test`;
  const password = `Otter-${randomBytes(5).toString('hex')}-Compass!`;
  const newPassword = `Heron-${randomBytes(5).toString('hex')}-Lighthouse!`;

  beforeAll(async () => {
    mail = await startMailSink({ smtpPort: 0, httpPort: 0 });
    stack = await startStack({
      // The test profile leaves edge auth off unless asked: this flow is about tokens.
      AUTH_MODE: 'enforce',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(mail.smtpPort),
      PASSWORD_RESET_URL: 'https://bursary.test/reset-password',
      REDIS_KEY_PREFIX: `test:${uniqueSuffix('e2e')}:`,
      RATE_LIMIT_AUTH_IP_MAX: '100',
      RATE_LIMIT_AUTH_ACCOUNT_MAX: '50',
      // Auth routes fail closed when a limiter's Redis call is late; on a loaded CI box 250 ms is not always enough.
      RATE_LIMIT_REDIS_COMMAND_TIMEOUT_MS: '2000',
    });
    gateway = stack.gateway.url;
  });
  afterAll(async () => {
    await stack?.stop();
    await mail?.close();
  });

  const post = (path: string, body: unknown) => fetch(`${gateway}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  let first: TokenPair;
  let rotated: TokenPair;
  let resetToken: string;

  it('R-ID-1: signup → 201, login → 200 with an access and a refresh token', async () => {
    const signup = await post('/v1/auth/signup', { email, password });
    expect(signup.status).toBe(201);
    expect(await signup.json()).toEqual({ email });
    const login = await post('/v1/auth/login', { email, password });
    expect(login.status).toBe(200);
    first = (await login.json()) as TokenPair;
    expect(first).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 900 });
  });

  it('R-ID-1: GET /v1/me with the access token (verified by the gateway against the JWKS) returns the profile; without one the gateway answers 401', async () => {
    const me = await fetch(`${gateway}/v1/me`, { headers: { authorization: `Bearer ${first.accessToken}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email, roles: [], organization: null });
    const anonymous = await fetch(`${gateway}/v1/me`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'AUTH_REQUIRED' });
  });

  it('R-ID-1: the JWKS is published through the gateway and holds the key that signed the token', async () => {
    const response = await fetch(`${gateway}/.well-known/jwks.json`);
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as { keys: Array<{ kid: string; kty: string; alg: string; d?: string }> };
    expect(keys.map((key) => key.kid)).toContain(kidOf(first.accessToken));
    for (const key of keys) expect(key).toMatchObject({ kty: 'OKP', alg: 'EdDSA' });
    expect(keys.every((key) => key.d === undefined)).toBe(true);
  });

  it('R-ID-1: refresh gives a new pair; reusing the old refresh token is 401 and kills the family (the new one is 401 too)', async () => {
    const refresh = await post('/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(refresh.status).toBe(200);
    rotated = (await refresh.json()) as TokenPair;
    expect(rotated.refreshToken).not.toBe(first.refreshToken);
    const reuse = await post('/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(reuse.status).toBe(401);
    expect(await reuse.json()).toMatchObject({ code: 'AUTH_INVALID_REFRESH_TOKEN' });
    const newest = await post('/v1/auth/refresh', { refreshToken: rotated.refreshToken });
    expect(newest.status).toBe(401);
  });

  it('R-ID-1: reset request → 202 → the mail sink holds the link with token=<base64url ≥ 20>', async () => {
    const request = await post('/v1/auth/password-reset/request', { email });
    expect(request.status).toBe(202);
    const message = await waitFor(async () => {
      const messages = (await (await fetch(`${mail.url}/api/messages?to=${encodeURIComponent(email)}`)).json()) as ReceivedMessage[];
      return messages[0];
    }, { what: 'the reset email in the mail sink', timeoutMs: 30_000, intervalMs: 200 });
    const match = /https:\/\/bursary\.test\/reset-password\?token=([A-Za-z0-9_-]+)/.exec(message.text ?? '');
    expect(match).not.toBeNull();
    resetToken = match![1]!;
    expect(resetToken.length).toBeGreaterThanOrEqual(20);
  });

  it('R-ID-1: confirm sets the new password: the old one fails, the new one works; the token cannot be used twice', async () => {
    const confirm = await post('/v1/auth/password-reset/confirm', { token: resetToken, newPassword });
    expect(confirm.status).toBe(204);
    const old = await post('/v1/auth/login', { email, password });
    expect(old.status).toBe(401);
    expect(await old.json()).toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });
    const fresh = await post('/v1/auth/login', { email, password: newPassword });
    expect(fresh.status).toBe(200);
    const twice = await post('/v1/auth/password-reset/confirm', { token: resetToken, newPassword: `Again-${newPassword}` });
    expect(twice.status).toBe(400);
    expect(await twice.json()).toMatchObject({ code: 'AUTH_INVALID_RESET_TOKEN' });
  });

  it('R-ID-2: an unknown email and a wrong password give the same 401 through the gateway', async () => {
    const unknown = await post('/v1/auth/login', { email: `nobody-${randomBytes(4).toString('hex')}@bursary.test`, password: newPassword });
    const wrong = await post('/v1/auth/login', { email, password: `${newPassword}x` });
    const strip = (body: Record<string, unknown>) => ({ ...body, instance: undefined });
    expect([unknown.status, wrong.status]).toEqual([401, 401]);
    expect(strip((await unknown.json()) as Record<string, unknown>)).toEqual(strip((await wrong.json()) as Record<string, unknown>));
  });
});
