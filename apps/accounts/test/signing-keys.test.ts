import { createJwksKeyStore, createTokenVerifier } from '@bursary/auth';
import { decodeProtectedHeader, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountsDb } from '../src/db/database.js';
import { createKeyEncryption } from '../src/modules/tokens/key-encryption.js';
import { rotateSigningKey } from '../src/modules/tokens/key-rotation.js';
import { keyPhases } from '../src/modules/tokens/key-schedule.js';
import { signedIn, startHarness, type Harness } from './support/accounts-harness.js';

const DEV_KEY = 'ZGV2LW9ubHktc2lnbmluZy1rZXktZW5jcnlwdGlvbiE=';
const at = (iso: string) => new Date(iso);

describe('signing keys: JWKS and rotation without downtime', () => {
  let h: Harness;
  beforeAll(async () => {
    // A 1 s key cache so the test sees rotations promptly.
    h = await startHarness({ SIGNING_KEYS_CACHE_S: '1' });
  });
  afterAll(async () => {
    await h?.close();
  });

  const jwks = async () => (await h.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json() as { keys: JWK[] };
  const verifier = () =>
    createTokenVerifier({
      getKey: createJwksKeyStore({ fetchJwks: jwks, maxAgeMs: 0, cooldownMs: 0, retryAfterFailureMs: 0, maxStaleMs: 0 }).getKey,
      issuer: 'urn:bursary:accounts',
      audience: 'urn:bursary:api',
      algorithms: ['EdDSA'],
      clockToleranceSeconds: 30,
    });

  it('R-ID-1: /.well-known/jwks.json publishes public Ed25519 keys only (no private part), cacheable for a minute', async () => {
    await signedIn(h);
    const response = await h.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=60');
    const { keys } = response.json() as { keys: JWK[] };
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const key of keys) {
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: expect.any(String), x: expect.any(String) });
      expect(key.d).toBeUndefined();
    }
    // At rest the private key is AES-GCM sealed, never a PEM.
    const rows = await h.admin`select kid, private_key_encrypted from accounts.signing_keys`;
    for (const row of rows) expect(row['private_key_encrypted']).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(createKeyEncryption(DEV_KEY).decrypt(rows[0]!['private_key_encrypted'] as string, rows[0]!['kid'] as string)).toContain('BEGIN PRIVATE KEY');
  });

  it('R-ID-1: a scheduled rotation publishes the new key before it signs; tokens of the old key keep verifying; after activation new tokens carry the new kid', async () => {
    const before = (await signedIn(h)).tokens;
    const oldKid = decodeProtectedHeader(before.accessToken).kid;
    const db = h.app.database.db as AccountsDb;
    const encryption = createKeyEncryption(DEV_KEY);
    const rotation = await rotateSigningKey(db, encryption, { publishLeadMs: 60_000, verifyWindowMs: 930_000 });

    // Published at once, not signing yet.
    await expect.poll(async () => (await jwks()).keys.map((key) => key.kid), { timeout: 5_000 }).toContain(rotation.kid);
    const during = (await signedIn(h)).tokens;
    expect(decodeProtectedHeader(during.accessToken).kid).toBe(oldKid);

    // Activation is a time in the table; bring it forward instead of waiting a minute.
    await h.admin`update accounts.signing_keys set activates_at = now() where kid = ${rotation.kid}`;
    await expect.poll(async () => decodeProtectedHeader((await signedIn(h)).tokens.accessToken).kid, { timeout: 5_000 }).toBe(rotation.kid);

    // The old key stays published until its last token expired: both generations verify.
    const keys = (await jwks()).keys.map((key) => key.kid);
    expect(keys).toEqual(expect.arrayContaining([oldKid, rotation.kid]));
    await expect(verifier().verify(before.accessToken)).resolves.toMatchObject({ userId: expect.any(String) });
  });

  it('R-ID-1: an immediate rotation (leaked key) signs with the new key at once and withdraws every other key', async () => {
    const before = (await signedIn(h)).tokens;
    const rotation = await rotateSigningKey(h.app.database.db as AccountsDb, createKeyEncryption(DEV_KEY), { publishLeadMs: 60_000, verifyWindowMs: 930_000, immediate: true });
    await expect.poll(async () => (await jwks()).keys.map((key) => key.kid), { timeout: 5_000 }).toEqual([rotation.kid]);
    await expect(verifier().verify(before.accessToken)).rejects.toMatchObject({ reason: 'unknown_key' });
    const after = (await signedIn(h)).tokens;
    expect(decodeProtectedHeader(after.accessToken).kid).toBe(rotation.kid);
    await expect(verifier().verify(after.accessToken)).resolves.toBeTruthy();
  });

  it('R-ID-1: key schedule: upcoming and active keys are published; a retired key stays published for the token lifetime, then expires', () => {
    const keys = [
      { kid: 'a', activatesAt: at('2030-01-01T00:00:00Z') },
      { kid: 'b', activatesAt: at('2030-02-01T00:00:00Z') },
      { kid: 'c', activatesAt: at('2030-03-01T00:00:00Z') },
    ];
    const window = 15 * 60_000;
    const phase = (iso: string) => {
      const phases = keyPhases(keys, Date.parse(iso), window);
      return { published: phases.published.map((k) => k.kid), retired: phases.retired.map((k) => k.kid), expired: phases.expired.map((k) => k.kid) };
    };
    expect(phase('2030-01-15T00:00:00Z')).toEqual({ published: ['a', 'b', 'c'], retired: [], expired: [] });
    expect(phase('2030-02-01T00:10:00Z')).toEqual({ published: ['a', 'b', 'c'], retired: ['a'], expired: [] });
    expect(phase('2030-02-01T00:20:00Z')).toEqual({ published: ['b', 'c'], retired: ['a'], expired: ['a'] });
    expect(phase('2030-03-02T00:00:00Z')).toEqual({ published: ['c'], retired: ['a', 'b'], expired: ['a', 'b'] });
  });

  it('R-ID-1: a sealed private key does not open under another key id or another encryption key', () => {
    const sealed = createKeyEncryption(DEV_KEY).encrypt('secret', 'kid-1');
    expect(() => createKeyEncryption(DEV_KEY).decrypt(sealed, 'kid-2')).toThrow();
    expect(() => createKeyEncryption(Buffer.alloc(32, 7).toString('base64')).decrypt(sealed, 'kid-1')).toThrow();
  });
});
