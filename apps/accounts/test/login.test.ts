import { createJwksKeyStore, createTokenVerifier } from '@bursary/auth';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPasswordHasher } from '../src/modules/passwords/password-hasher.js';
import { newEmail, signedIn, startHarness, strongPassword, type Harness } from './support/accounts-harness.js';

describe('login and access tokens', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  /** The gateway's verifier (packages/auth) on the JWKS this service publishes, with the gateway's default settings. */
  const gatewayVerifier = () => {
    const keys = createJwksKeyStore({
      fetchJwks: async () => (await h.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json(),
      maxAgeMs: 300_000,
      cooldownMs: 0,
      retryAfterFailureMs: 0,
      maxStaleMs: 0,
    });
    return createTokenVerifier({ getKey: keys.getKey, issuer: 'urn:bursary:accounts', audience: 'urn:bursary:api', algorithms: ['EdDSA', 'ES256'], clockToleranceSeconds: 30 });
  };

  it('R-ID-1: login answers 200 { accessToken, refreshToken, expiresIn } and the gateway verifier accepts the token (EdDSA, kid, typ at+jwt, roles)', async () => {
    const { tokens, email } = await signedIn(h);
    expect(tokens).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    expect(tokens.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const header = decodeProtectedHeader(tokens.accessToken);
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt' });
    expect(header.kid).toEqual(expect.any(String));
    const principal = await gatewayVerifier().verify(tokens.accessToken);
    const [user] = await h.admin`select id from accounts.users where email = ${email}`;
    expect(principal).toMatchObject({ userId: user!['id'], roles: [], providerOrg: undefined });
    expect(principal.expiresAt - Math.floor(Date.now() / 1000)).toBeGreaterThan(800);
  });

  it('R-ID-2: an unknown email and a wrong password get the same 401 AUTH_INVALID_CREDENTIALS body', async () => {
    const { email } = await signedIn(h);
    const unknown = await h.post('/v1/auth/login', { email: newEmail('nobody'), password: strongPassword() });
    const wrong = await h.post('/v1/auth/login', { email, password: strongPassword() });
    for (const response of [unknown, wrong]) {
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const strip = (body: Record<string, unknown>) => ({ ...body, instance: undefined });
    expect(strip(unknown.json())).toEqual(strip(wrong.json()));
    expect(unknown.json()).toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS', status: 401 });
    // The audit log (not the client) knows which it was.
    const reasons = await h.admin`select details->>'reason' as reason from accounts.audit_log where request_id in ${h.admin([unknown.headers['x-request-id'] as string, wrong.headers['x-request-id'] as string])} order by id`;
    expect(reasons.map((row) => row['reason'])).toEqual(['unknown_account', 'wrong_password']);
  });

  it('R-ID-2: an unknown email costs one argon2id verification like a wrong password (dummy hash of the same parameters)', async () => {
    // Timing itself is measured by tools/bench (bench:login prints both); here: both paths run argon2 and refuse.
    const hasher = createPasswordHasher({ memoryKiB: 19_456, timeCost: 2, parallelism: 1 });
    const stored = await hasher.hash('Correct-horse-battery-9');
    await expect(hasher.verify(undefined, 'Correct-horse-battery-9')).resolves.toBe(false);
    await expect(hasher.verify(stored, 'Correct-horse-battery-8')).resolves.toBe(false);
    await expect(hasher.verify(stored, 'Correct-horse-battery-9')).resolves.toBe(true);
    await expect(hasher.verify('not-a-phc-string', 'x')).resolves.toBe(false);
  });

  it('R-ID-2: a hash made with weaker parameters is upgraded on the next successful login', async () => {
    const email = newEmail();
    const password = strongPassword();
    const weak = await createPasswordHasher({ memoryKiB: 8192, timeCost: 1, parallelism: 1 }).hash(password);
    await h.admin`insert into accounts.users (email, password_hash) values (${email}, ${weak})`;
    expect((await h.post('/v1/auth/login', { email, password })).statusCode).toBe(200);
    const [user] = await h.admin`select password_hash from accounts.users where email = ${email}`;
    expect(user!['password_hash']).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
  });

  it('R-ID-1: the email is matched case-insensitively and trimmed; the password is NFKC-normalized', async () => {
    const email = newEmail();
    const password = `Caf\u00e9-${strongPassword()}`;
    await h.post('/v1/auth/signup', { email, password });
    const decomposed = password.replace('\u00e9', 'e\u0301');
    expect((await h.post('/v1/auth/login', { email: ` ${email.toUpperCase()}`, password: decomposed })).statusCode).toBe(200);
  });

  it('R-ID-1: GET /v1/me returns the profile for a valid token; no token or a bad one is 401 with a Bearer challenge', async () => {
    const { tokens, email } = await signedIn(h);
    const me = await h.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${tokens.accessToken}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ email, roles: [], organization: null });
    const none = await h.app.inject({ method: 'GET', url: '/v1/me' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 'AUTH_REQUIRED' });
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    const tampered = `${tokens.accessToken.slice(0, -4)}AAAA`;
    const bad = await h.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${tampered}` } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toMatchObject({ code: 'AUTH_INVALID_TOKEN' });
  });
});
