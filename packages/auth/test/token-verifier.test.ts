import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createJwksKeyStore, createTokenVerifier, KeysUnavailableError, TokenRejectedError, type TokenVerifier } from '../src/index.js';
import { AUDIENCE, b64url, createSigner, ISSUER, unsignedTokens, type TestSigner } from './support/token-issuer.js';

const HOUR = 3600;

describe('token verifier', () => {
  let ed: TestSigner;
  let es: TestSigner;
  let rs: TestSigner;
  let stranger: TestSigner;
  let verifier: TokenVerifier;

  beforeAll(async () => {
    ed = await createSigner('ed-1', 'EdDSA');
    es = await createSigner('es-1', 'ES256');
    rs = await createSigner('rs-1', 'RS256');
    // Same kid as `ed`, other key: what a forger who read the JWKS would try.
    stranger = await createSigner('ed-1', 'EdDSA');
    const store = createJwksKeyStore({
      fetchJwks: async () => ({ keys: [ed.jwk, es.jwk, rs.jwk] }),
      maxAgeMs: 60_000,
      cooldownMs: 60_000,
      retryAfterFailureMs: 1_000,
      maxStaleMs: 0,
    });
    verifier = createTokenVerifier({ getKey: store.getKey, issuer: ISSUER, audience: AUDIENCE, algorithms: ['EdDSA', 'ES256'], clockToleranceSeconds: 30 });
  });

  const rejected = async (token: string) => {
    const error = await verifier.verify(token).then(() => undefined, (caught: unknown) => caught);
    expect(error, token.slice(0, 60)).toBeInstanceOf(TokenRejectedError);
    return (error as TokenRejectedError).reason;
  };

  it('R-AUTH-1: EdDSA and ES256 tokens verify into a principal', async () => {
    await expect(verifier.verify(await ed.sign({ sub: 'u-42', roles: ['provider'], org: 'org-7' }))).resolves.toMatchObject({ userId: 'u-42', roles: ['provider'], providerOrg: 'org-7' });
    await expect(verifier.verify(await es.sign())).resolves.toMatchObject({ userId: 'user-1', roles: [], providerOrg: undefined });
  });

  it('R-AUTH-1: exp and nbf are checked with the configured clock tolerance', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await rejected(await ed.sign({ iat: now - HOUR, exp: now - 60 }))).toBe('expired');
    expect(await rejected(await ed.sign({ nbf: now + 120 }))).toBe('not_yet_valid');
    // Within the 30 s tolerance both ways.
    await expect(verifier.verify(await ed.sign({ exp: now - 10 }))).resolves.toBeTruthy();
    await expect(verifier.verify(await ed.sign({ nbf: now + 10 }))).resolves.toBeTruthy();
  });

  it('R-AUTH-1: alg none, HMAC and unconfigured RSA are refused', async () => {
    for (const token of unsignedTokens('ed-1')) expect(['algorithm', 'malformed']).toContain(await rejected(token));
    // HS256 with the public key as the secret: the classic algorithm-confusion forgery.
    const head = b64url({ alg: 'HS256', typ: 'at+jwt', kid: 'ed-1' });
    const now = Math.floor(Date.now() / 1000);
    const body = b64url({ iss: ISSUER, aud: AUDIENCE, sub: 'admin', roles: ['admin'], exp: now + 300 });
    const mac = createHmac('sha256', JSON.stringify(ed.jwk)).update(`${head}.${body}`).digest('base64url');
    expect(await rejected(`${head}.${body}.${mac}`)).toBe('algorithm');
    expect(await rejected(await rs.sign())).toBe('algorithm');
  });

  it('R-AUTH-1: wrong issuer, audience, token type, missing kid, missing sub or exp are refused', async () => {
    expect(await rejected(await ed.sign({ iss: 'https://evil.example' }))).toBe('claims');
    expect(await rejected(await ed.sign({ aud: 'another-api' }))).toBe('claims');
    expect(await rejected(await ed.sign({}, { typ: 'JWT' }))).toBe('claims');
    expect(await rejected(await ed.sign({}, { kid: undefined }))).toBe('unknown_key');
    expect(await rejected(await ed.sign({ sub: undefined }))).toBe('claims');
    expect(await rejected(await ed.sign({ exp: undefined }))).toBe('claims');
  });

  it('R-AUTH-1: claims unsafe to forward in a header are refused', async () => {
    expect(await rejected(await ed.sign({ sub: 'a\r\nx-bursary-roles: admin' }))).toBe('claims');
    expect(await rejected(await ed.sign({ roles: 'admin' }))).toBe('claims');
    expect(await rejected(await ed.sign({ roles: ['provider,admin'] }))).toBe('claims');
    expect(await rejected(await ed.sign({ org: 42 }))).toBe('claims');
  });

  it('R-AUTH-1: a wrong signature, an unknown kid and tampering are refused', async () => {
    expect(await rejected(await stranger.sign({ roles: ['admin'] }))).toBe('signature');
    const [head, , signature] = (await ed.sign()).split('.');
    expect(await rejected(`${head}.${b64url({ iss: ISSUER, aud: AUDIENCE, sub: 'someone-else', exp: 9_999_999_999 })}.${signature}`)).toBe('signature');
    expect(await rejected(await ed.sign({}, { kid: 'no-such-key' }))).toBe('unknown_key');
  });

  it('R-AUTH-1: garbage never throws anything but a rejection', async () => {
    const garbage = [
      '',
      'abc',
      'a.b.c',
      '...',
      'e30.e30.e30',
      `${b64url([1])}.${b64url({})}.${b64url('x')}`,
      `${b64url({ alg: 'EdDSA', kid: 'ed-1', typ: 'at+jwt' })}.${b64url('not json')}.${b64url('x')}`,
      `${b64url({ alg: 'EdDSA', kid: 'ed-1', typ: 'at+jwt', crit: ['exp'] })}.${b64url({})}.${b64url('x')}`,
      `${b64url({ alg: 'EdDSA', kid: { $ne: 1 }, typ: 'at+jwt' })}.${b64url({})}.${b64url('x')}`,
      `${b64url({ alg: 'EdDSA', kid: 'ed-1', typ: 'at+jwt' })}.${b64url({ sub: 'x', exp: 'never' })}.${b64url('x')}`,
      '\u0000\u0001.\uffff.%%',
      'x'.repeat(100_000),
    ];
    for (const token of garbage) await rejected(token);
  });
});

describe('JWKS key store', () => {
  let one: TestSigner;
  let two: TestSigner;
  beforeAll(async () => {
    one = await createSigner('k-1');
    two = await createSigner('k-2');
  });

  const setup = (documents: Array<unknown | Error>, overrides: Partial<Parameters<typeof createJwksKeyStore>[0]> = {}) => {
    let clock = 1_000_000;
    let fetches = 0;
    const store = createJwksKeyStore({
      fetchJwks: async () => {
        const document = documents[Math.min(fetches++, documents.length - 1)];
        if (document instanceof Error) throw document;
        return document;
      },
      maxAgeMs: 60_000,
      cooldownMs: 10_000,
      retryAfterFailureMs: 1_000,
      maxStaleMs: 120_000,
      now: () => clock,
      ...overrides,
    });
    const verifier = createTokenVerifier({ getKey: store.getKey, issuer: ISSUER, audience: AUDIENCE, algorithms: ['EdDSA'], clockToleranceSeconds: 30 });
    return { store, verifier, fetches: () => fetches, advance: (ms: number) => void (clock += ms) };
  };

  it('R-AUTH-1: keys are fetched once and cached', async () => {
    const { verifier, fetches } = setup([{ keys: [one.jwk] }]);
    for (let i = 0; i < 5; i++) await verifier.verify(await one.sign());
    expect(fetches()).toBe(1);
  });

  it('R-AUTH-1: an unknown kid triggers one refetch per cooldown (rotation)', async () => {
    const { verifier, fetches, advance } = setup([{ keys: [one.jwk] }, { keys: [one.jwk] }, { keys: [one.jwk, two.jwk] }]);
    await verifier.verify(await one.sign());
    advance(10_000);
    // k-2 is not published yet: refetched once, still unknown.
    await expect(verifier.verify(await two.sign())).rejects.toMatchObject({ reason: 'unknown_key' });
    expect(fetches()).toBe(2);
    // Within the cooldown a flood of unknown kids costs no fetch.
    for (let i = 0; i < 3; i++) await expect(verifier.verify(await two.sign())).rejects.toMatchObject({ reason: 'unknown_key' });
    expect(fetches()).toBe(2);
    advance(10_000);
    await expect(verifier.verify(await two.sign())).resolves.toMatchObject({ userId: 'user-1' });
    expect(fetches()).toBe(3);
    await expect(verifier.verify(await one.sign())).resolves.toBeTruthy();
  });

  it('R-AUTH-1: JWKS never fetched → keys unavailable, retried only after the failure delay', async () => {
    const down = new Error('ECONNREFUSED');
    const { verifier, fetches, advance } = setup([down, down, { keys: [one.jwk] }]);
    await expect(verifier.verify(await one.sign())).rejects.toBeInstanceOf(KeysUnavailableError);
    await expect(verifier.verify(await one.sign())).rejects.toBeInstanceOf(KeysUnavailableError);
    expect(fetches()).toBe(1);
    advance(1_000);
    await expect(verifier.verify(await one.sign())).rejects.toBeInstanceOf(KeysUnavailableError);
    expect(fetches()).toBe(2);
    advance(1_000);
    await expect(verifier.verify(await one.sign())).resolves.toBeTruthy();
  });

  it('R-AUTH-1: last good keys serve while the JWKS is down, up to the stale limit', async () => {
    const down = new Error('ECONNREFUSED');
    const { verifier, advance } = setup([{ keys: [one.jwk] }, down]);
    await verifier.verify(await one.sign());
    advance(60_000 + 60_000);
    await expect(verifier.verify(await one.sign())).resolves.toBeTruthy();
    advance(60_001);
    await expect(verifier.verify(await one.sign())).rejects.toBeInstanceOf(KeysUnavailableError);
  });

  it('R-AUTH-1: an unknown kid while the JWKS is down is 503-class, not a verdict on the token', async () => {
    const { verifier, advance } = setup([{ keys: [one.jwk] }, new Error('ECONNREFUSED')]);
    await verifier.verify(await one.sign());
    advance(10_000);
    await expect(verifier.verify(await two.sign())).rejects.toBeInstanceOf(KeysUnavailableError);
  });

  it('R-AUTH-1: symmetric, private and encryption keys in the JWKS are never used', async () => {
    const secret = { kty: 'oct', kid: 'k-1', k: b64url('s3cret'), alg: 'HS256' };
    const encryption = { ...one.jwk, use: 'enc' };
    const { verifier } = setup([{ keys: [secret, encryption] }]);
    await expect(verifier.verify(await one.sign())).rejects.toMatchObject({ reason: 'unknown_key' });
    const malformed = setup([{ nokeys: true }]);
    await expect(malformed.verifier.verify(await one.sign())).rejects.toBeInstanceOf(KeysUnavailableError);
  });
});
