import { createHmac } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';
import { waitFor } from '@bursary/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../src/modules/routing/route-table.js';
import { AUDIENCE, b64url, createSigner, ISSUER, serveJwks, type JwksControl, type TestSigner } from './auth-issuer.js';
import { refusedOrigin, startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { send, startGateway, type ClientResponse, type RunningGateway } from './helpers/gateway.js';

type Name = 'accounts' | 'catalog' | 'payments' | 'webhooks';
type Case = readonly [method: string, path: string];

const JWKS_PATH = '/.well-known/jwks.json';
// Auth is enforced as in production; the limiter is out of the way of a suite that sends many requests from one address.
const AUTH_ENV = { AUTH_MODE: 'enforce', AUTH_JWKS_COOLDOWN_MS: '200', RATE_LIMIT_EXEMPT: '127.0.0.1' };

const PUBLIC_CASES: Case[] = [
  ['POST', '/v1/auth/signup'],
  ['POST', '/v1/auth/login'],
  ['POST', '/v1/auth/provider/login'],
  ['POST', '/v1/auth/refresh'],
  ['POST', '/v1/auth/logout'],
  ['POST', '/v1/auth/password-reset/request'],
  ['POST', '/v1/auth/password-reset/confirm'],
  ['GET', JWKS_PATH],
  ['GET', '/v1/scholarships'],
  ['GET', '/v1/scholarships?q=engineering&page=2'],
  ['GET', '/v1/scholarships/abc'],
  ['HEAD', '/v1/scholarships/abc'],
  ['GET', '/v1/search?q=nursing'],
  ['GET', '/v1/eligibility?scholarship=abc'],
  ['POST', '/v1/eligibility'],
  ['GET', '/robots.txt'],
  ['GET', '/sitemap.xml'],
  ['GET', '/sitemap-scholarships-1.xml'],
  ['GET', '/scholarships/stem-women-2026'],
  ['POST', '/v1/psp/webhooks'],
];

const STUDENT_CASES: Case[] = [
  ['GET', '/v1/me'],
  ['PATCH', '/v1/me'],
  ['DELETE', '/v1/me'],
  ['GET', '/v1/auth/sessions'],
  ['GET', '/v1/recommendations'],
  ['GET', '/v1/shortlist'],
  ['POST', '/v1/shortlist'],
  ['DELETE', '/v1/shortlist/s1'],
  ['POST', '/v1/applications'],
  ['GET', '/v1/applications/a1'],
  ['GET', '/v1/credit-packages'],
  ['GET', '/v1/credits'],
  ['POST', '/v1/purchases'],
  ['GET', '/v1/purchases/pu_1'],
  ['POST', '/v1/refunds'],
];

const PROVIDER_CASES: Case[] = [
  ['GET', '/v1/provider/scholarships'],
  ['POST', '/v1/provider/scholarships'],
  ['PUT', '/v1/provider/scholarships/p1'],
  ['POST', '/v1/provider/webhook-endpoints'],
  ['DELETE', '/v1/provider/webhook-endpoints/we_1'],
  ['GET', '/v1/webhook-deliveries'],
  ['POST', '/v1/webhook-deliveries/wd_1/replay'],
];

const request = (port: number, [method, path]: Case, headers: OutgoingHttpHeaders = {}) =>
  send(port, { method, path, headers: method === 'GET' || method === 'HEAD' ? headers : { 'content-type': 'application/json', ...headers }, ...(method === 'GET' || method === 'HEAD' ? {} : { body: '{}' }) });

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function expectProblem(response: ClientResponse, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json()).toMatchObject({ status, code, instance: response.headers['x-request-id'] });
}

describe('gateway edge auth', () => {
  const upstreams = {} as Record<Name, FakeUpstream>;
  let gateway: RunningGateway;
  let jwks: JwksControl;
  let signer: TestSigner;
  let rsa: TestSigner;

  /** Requests that reached an upstream, JWKS fetches aside. */
  const forwarded = () => Object.values(upstreams).flatMap((upstream) => upstream.requests).filter((r) => r.url !== JWKS_PATH);
  /** The last request an upstream received for this method and target. */
  const lastSeen = (method: string, path: string) => forwarded().filter((r) => r.method === method && r.url === path).at(-1);

  beforeAll(async () => {
    for (const name of ['accounts', 'catalog', 'payments', 'webhooks'] as const) upstreams[name] = await startFakeUpstream(name);
    signer = await createSigner('k-1', 'EdDSA');
    // Published, but RS256 is not among AUTH_ALGORITHMS: its tokens must still fail.
    rsa = await createSigner('rsa-1', 'RS256');
    jwks = serveJwks(upstreams.accounts, [signer.jwk, rsa.jwk]);
    gateway = await startGateway(upstreams, AUTH_ENV);
  });
  afterAll(async () => {
    await gateway?.close();
    await Promise.all(Object.values(upstreams).map((upstream) => upstream.close()));
  });

  it.each(PUBLIC_CASES)('R-AUTH-1: public %s %s is reachable without a token', async (method, path) => {
    const response = await request(gateway.port, [method, path]);
    expect(response.status).toBe(200);
  });

  it('R-AUTH-1: health and docs (the gateway\'s own routes) need no token', async () => {
    expect((await send(gateway.port, { path: '/healthz' })).status).toBe(200);
  });

  it('R-AUTH-1: a public route ignores a bad token rather than refusing the request', async () => {
    const response = await send(gateway.port, { path: '/v1/scholarships', headers: bearer('garbage') });
    expect(response.status).toBe(200);
  });

  it.each([...STUDENT_CASES, ...PROVIDER_CASES, ['HEAD', '/v1/me'] as const])('R-AUTH-1: %s %s without a token is 401 AUTH_REQUIRED and reaches no upstream', async (method, path) => {
    const before = forwarded().length;
    const response = await request(gateway.port, [method, path]);
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="bursary"');
    if (method !== 'HEAD') expectProblem(response, 401, 'AUTH_REQUIRED');
    expect(forwarded().length).toBe(before);
  });

  it.each(STUDENT_CASES)('R-AUTH-1: %s %s with a valid token reaches the upstream with the verified identity', async (method, path) => {
    const sub = `student-${Math.random().toString(36).slice(2)}`;
    const response = await request(gateway.port, [method, path], bearer(await signer.sign({ sub })));
    expect(response.status).toBe(200);
    const seen = lastSeen(method, path);
    expect(seen?.headers).toMatchObject({ 'x-bursary-user-id': sub, 'x-bursary-roles': '' });
    expect(seen?.headers).not.toHaveProperty('x-bursary-provider-org');
  });

  it.each(PROVIDER_CASES)('R-AUTH-1: %s %s needs the provider role: student 403 AUTH_FORBIDDEN, provider passes', async (method, path) => {
    const before = forwarded().length;
    const student = await request(gateway.port, [method, path], bearer(await signer.sign()));
    expectProblem(student, 403, 'AUTH_FORBIDDEN');
    expect(student.headers['www-authenticate']).toBe('Bearer realm="bursary", error="insufficient_scope"');
    expect(forwarded().length).toBe(before);

    const sub = `provider-${Math.random().toString(36).slice(2)}`;
    const provider = await request(gateway.port, [method, path], bearer(await signer.sign({ sub, roles: ['provider'], org: 'org-42' })));
    expect(provider.status).toBe(200);
    expect(lastSeen(method, path)?.headers).toMatchObject({ 'x-bursary-user-id': sub, 'x-bursary-roles': 'provider', 'x-bursary-provider-org': 'org-42' });
  });

  it('R-AUTH-1: access follows the route the router matched, so encodings and traversal cannot dodge it', async () => {
    const before = forwarded().length;
    // The router decodes %6D to m and matches /v1/me: the token is required as for /v1/me.
    expectProblem(await send(gateway.port, { path: '/v1/%6De' }), 401, 'AUTH_REQUIRED');
    // From a public prefix into a protected path: never forwarded.
    for (const path of ['/v1/scholarships/../me', '/v1/scholarships/%2e%2e/%2e%2e/v1/me', '/scholarships/..%2f..%2fv1%2fme']) {
      const response = await send(gateway.port, { path });
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
    }
    expect(forwarded().length).toBe(before);
  });

  it('R-AUTH-1: admins may read and replay webhook deliveries, not manage provider listings', async () => {
    const admin = bearer(await signer.sign({ sub: 'admin-1', roles: ['admin'] }));
    expect((await request(gateway.port, ['GET', '/v1/webhook-deliveries'], admin)).status).toBe(200);
    expect((await request(gateway.port, ['POST', '/v1/webhook-deliveries/wd_1/replay'], admin)).status).toBe(200);
    expectProblem(await request(gateway.port, ['POST', '/v1/provider/scholarships'], admin), 403, 'AUTH_FORBIDDEN');
  });

  describe('bad tokens', () => {
    const cases: Array<[string, () => Promise<string>]> = [];
    const now = () => Math.floor(Date.now() / 1000);
    const claims = () => ({ iss: ISSUER, aud: AUDIENCE, sub: 'admin-1', roles: ['admin'], iat: now(), exp: now() + 300 });
    cases.push(
      ['expired', async () => `Bearer ${await signer.sign({ iat: now() - 7200, exp: now() - 3600 })}`],
      ['not yet valid', async () => `Bearer ${await signer.sign({ nbf: now() + 3600 })}`],
      ['alg none, empty signature', async () => `Bearer ${b64url({ alg: 'none', typ: 'at+jwt', kid: 'k-1' })}.${b64url(claims())}.`],
      ['alg none, junk signature', async () => `Bearer ${b64url({ alg: 'none', typ: 'at+jwt', kid: 'k-1' })}.${b64url(claims())}.${b64url('x')}`],
      [
        'HS256 keyed with the public key',
        async () => {
          const signingInput = `${b64url({ alg: 'HS256', typ: 'at+jwt', kid: 'k-1' })}.${b64url(claims())}`;
          return `Bearer ${signingInput}.${createHmac('sha256', JSON.stringify(signer.jwk)).update(signingInput).digest('base64url')}`;
        },
      ],
      ['RS256, not configured', async () => `Bearer ${await rsa.sign()}`],
      ['unknown kid', async () => `Bearer ${await signer.sign({}, { kid: 'k-does-not-exist' })}`],
      ['no kid', async () => `Bearer ${await signer.sign({}, { kid: undefined })}`],
      ['wrong issuer', async () => `Bearer ${await signer.sign({ iss: 'https://evil.example' })}`],
      ['wrong audience', async () => `Bearer ${await signer.sign({ aud: 'urn:other:api' })}`],
      ['not an access token (typ JWT)', async () => `Bearer ${await signer.sign({}, { typ: 'JWT' })}`],
      ['another key under our kid', async () => `Bearer ${await (await createSigner('k-1')).sign({ roles: ['admin'] })}`],
      [
        'tampered payload',
        async () => {
          const [head, , signature] = (await signer.sign()).split('.');
          return `Bearer ${head}.${b64url({ ...claims(), sub: 'someone-else' })}.${signature}`;
        },
      ],
      ['one segment', async () => 'Bearer abc'],
      ['empty', async () => 'Bearer '],
      ['three junk segments', async () => 'Bearer a.b.c'],
      ['not base64url', async () => 'Bearer ***.$$$.!!!'],
      ['standard base64 alphabet', async () => `Bearer ${Buffer.from('{"alg":"EdDSA"}').toString('base64')}+/.e30.e30=`],
      ['header not JSON', async () => `Bearer ${b64url('not json')}.${b64url(claims())}.${b64url('x')}`],
      ['header a JSON array', async () => `Bearer ${b64url([1, 2])}.${b64url(claims())}.${b64url('x')}`],
      ['latin-1 bytes', async () => 'Bearer \u00ff\u00fe.\u00fd.x'],
      ['huge (10 KB)', async () => `Bearer ${'A'.repeat(10_000)}.e30.e30`],
      ['huge, valid shape, real signature', async () => `Bearer ${await signer.sign({ padding: 'x'.repeat(6_000) })}`],
    );

    it.each(cases)('R-AUTH-1: %s → 401 AUTH_INVALID_TOKEN problem+json with an RFC 6750 challenge', async (_name, make) => {
      const before = forwarded().length;
      const response = await send(gateway.port, { path: '/v1/me', headers: { authorization: await make() } });
      expectProblem(response, 401, 'AUTH_INVALID_TOKEN');
      expect(response.headers['www-authenticate']).toBe('Bearer realm="bursary", error="invalid_token"');
      expect(forwarded().length).toBe(before);
    });

    it('R-AUTH-1: a token beyond the HTTP header limit is refused by the parser with 431 problem+json, never 500', async () => {
      const response = await send(gateway.port, { path: '/v1/me', headers: { authorization: `Bearer ${'A'.repeat(20_000)}.e30.e30` } });
      expect(response.status).toBe(431);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('R-AUTH-1: the expired case says so, so clients know to refresh', async () => {
      const response = await send(gateway.port, { path: '/v1/me', headers: bearer(await signer.sign({ exp: now() - 3600 })) });
      expect(response.json()).toMatchObject({ code: 'AUTH_INVALID_TOKEN', detail: 'The access token has expired; refresh it.' });
    });
  });

  it('R-AUTH-1: identity headers forged by the client are stripped on public and protected routes', async () => {
    const forged = {
      'x-bursary-user-id': 'admin-1',
      'X-Bursary-Roles': 'admin,provider',
      'x-bursary-provider-org': 'org-victim',
      x_bursary_user_id: 'admin-2',
      'x-bursary-impersonate': 'yes',
    };
    const identity = (headers: Record<string, unknown>) => Object.keys(headers).filter((name) => /^x[-_]bursary[-_]/i.test(name));

    for (const [method, path] of [['GET', '/v1/scholarships'], ['POST', '/v1/auth/login'], ['GET', JWKS_PATH], ['POST', '/v1/psp/webhooks']] as const) {
      const response = await request(gateway.port, [method, path], forged);
      expect(response.status).toBe(200);
      const seen = [...upstreams.catalog.requests, ...upstreams.accounts.requests, ...upstreams.payments.requests].filter((r) => r.url === path).at(-1);
      expect(seen, path).toBeDefined();
      expect(identity(seen?.headers ?? {}), path).toEqual([]);
    }

    const response = await request(gateway.port, ['POST', '/v1/shortlist'], { ...forged, ...bearer(await signer.sign({ sub: 'student-3' })) });
    expect(response.status).toBe(200);
    const seen = upstreams.catalog.requests.at(-1);
    expect(seen?.headers).toMatchObject({ 'x-bursary-user-id': 'student-3', 'x-bursary-roles': '' });
    expect(identity(seen?.headers ?? {}).sort()).toEqual(['x-bursary-roles', 'x-bursary-user-id']);
    // One value each on the wire: ours, not a list with the client's appended.
    const raw = seen?.rawHeaders ?? [];
    expect(raw.filter((_, i) => i % 2 === 0 && /^x-bursary-user-id$/i.test(raw[i] ?? ''))).toHaveLength(1);
  });

  it('R-AUTH-1: key rotation: a new kid is accepted once it appears in the JWKS', async () => {
    const next = await createSigner('k-2', 'ES256');
    const token = await next.sign({ sub: 'student-rot' });
    // Not published yet: the gateway refetches, still does not find it, refuses.
    expectProblem(await send(gateway.port, { path: '/v1/me', headers: bearer(token) }), 401, 'AUTH_INVALID_TOKEN');
    const fetchesBefore = jwks.fetches;
    jwks.keys = [signer.jwk, rsa.jwk, next.jwk];
    // Accepted after the next refetch (at most one per AUTH_JWKS_COOLDOWN_MS), with no restart.
    await waitFor(async () => (await send(gateway.port, { path: '/v1/me', headers: bearer(token) })).status === 200, { what: 'the rotated key to be accepted' });
    expect(jwks.fetches).toBeGreaterThan(fetchesBefore);
    expect(upstreams.accounts.requests.at(-1)?.headers['x-bursary-user-id']).toBe('student-rot');
    // The previous key keeps working while it is still published.
    expect((await send(gateway.port, { path: '/v1/me', headers: bearer(await signer.sign()) })).status).toBe(200);
  });

  it('R-AUTH-1: a flood of unknown kids costs at most one JWKS fetch per cooldown', async () => {
    const before = jwks.fetches;
    const started = Date.now();
    const stranger = await createSigner('k-flood');
    const token = await stranger.sign();
    await Promise.all(Array.from({ length: 20 }, () => send(gateway.port, { path: '/v1/me', headers: bearer(token) })));
    const windows = Math.ceil((Date.now() - started) / 200) + 1;
    expect(jwks.fetches - before).toBeLessThanOrEqual(windows);
  });
});

describe('gateway edge auth with the JWKS unavailable', () => {
  let accounts: FakeUpstream;
  let catalog: FakeUpstream;
  let signer: TestSigner;

  beforeAll(async () => {
    accounts = await startFakeUpstream('accounts');
    catalog = await startFakeUpstream('catalog');
    signer = await createSigner('k-down');
  });
  afterAll(async () => {
    await accounts?.close();
    await catalog?.close();
  });

  const expectUnavailable = (response: ClientResponse) => {
    expectProblem(response, 503, 'AUTH_KEYS_UNAVAILABLE');
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  };

  it('R-AUTH-1: JWKS unreachable → 503 on protected routes; public routes still answer; recovery without restart', async () => {
    const control = serveJwks(accounts, [signer.jwk]);
    control.up = false;
    const gateway = await startGateway({ accounts, catalog }, AUTH_ENV);
    try {
      expectUnavailable(await send(gateway.port, { path: '/v1/shortlist', headers: bearer(await signer.sign()) }));
      expect(catalog.requests.filter((r) => r.url === '/v1/shortlist')).toHaveLength(0);
      // No token is still "no token": 401, not 503.
      expectProblem(await send(gateway.port, { path: '/v1/shortlist' }), 401, 'AUTH_REQUIRED');
      expect((await send(gateway.port, { path: '/v1/scholarships' })).status).toBe(200);
      expect((await send(gateway.port, { path: '/v1/search?q=x' })).status).toBe(200);
      expect((await send(gateway.port, { method: 'POST', path: '/v1/auth/login', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(200);

      control.up = true;
      const token = await signer.sign();
      await waitFor(async () => (await send(gateway.port, { path: '/v1/shortlist', headers: bearer(token) })).status === 200, { what: 'auth to recover with the JWKS' });
    } finally {
      await gateway.close();
    }
  });

  it('R-AUTH-1: JWKS refusing connections → 503, never 401 or 500', async () => {
    const gateway = await startGateway({ accounts, catalog }, { ...AUTH_ENV, AUTH_JWKS_URL: `${await refusedOrigin()}${JWKS_PATH}` });
    try {
      for (let i = 0; i < 3; i++) expectUnavailable(await send(gateway.port, { path: '/v1/me', headers: bearer(await signer.sign()) }));
      expect((await send(gateway.port, { path: '/robots.txt' })).status).toBe(200);
    } finally {
      await gateway.close();
    }
  });
});

describe('routing table access declarations', () => {
  it('R-AUTH-1: every route declares its access; the public list is exactly the one agreed', () => {
    const summary = Object.fromEntries(
      ROUTES.map((entry) => {
        const access = 'byMethod' in entry.access ? 'by method' : entry.access.kind === 'role' ? `role:${entry.access.anyOf.join('|')}` : entry.access.kind;
        return [entry.path, access];
      }),
    );
    expect(summary).toEqual({
      '/v1/auth/signup': 'public',
      '/v1/auth/login': 'public',
      '/v1/auth/provider/login': 'public',
      '/v1/auth/refresh': 'public',
      '/v1/auth/logout': 'public',
      '/v1/auth/password-reset/request': 'public',
      '/v1/auth/password-reset/confirm': 'public',
      '/v1/auth/*': 'authenticated',
      '/v1/me': 'authenticated',
      '/.well-known/jwks.json': 'public',
      '/v1/scholarships*': 'public',
      '/v1/search': 'public',
      '/v1/eligibility': 'public',
      '/v1/recommendations': 'authenticated',
      '/v1/profile': 'authenticated',
      '/v1/shortlist*': 'authenticated',
      '/v1/applications*': 'authenticated',
      '/v1/provider/scholarships*': 'role:provider',
      '/robots.txt': 'public',
      '/sitemap.xml': 'public',
      '/sitemap-:part(^[A-Za-z0-9_-]+).xml': 'public',
      '/scholarships/:slug': 'public',
      '/v1/credit-packages': 'authenticated',
      '/v1/credits': 'authenticated',
      '/v1/purchases*': 'authenticated',
      '/v1/refunds*': 'authenticated',
      '/v1/psp/webhooks': 'public',
      '/v1/payouts': 'role:admin',
      '/v1/provider/payouts': 'role:provider',
      '/v1/provider/webhook-endpoints*': 'role:provider',
      '/v1/webhook-deliveries*': 'role:provider|admin',
    });
    // Nothing public writes except credential exchange, eligibility checks and PSP webhooks.
    for (const entry of ROUTES) {
      if (!('byMethod' in entry.access) && entry.access.kind === 'public' && entry.methods.some((m) => m !== 'GET')) {
        expect(entry.path).toMatch(/^\/v1\/auth\/|^\/v1\/eligibility$|^\/v1\/psp\/webhooks$/);
      }
    }
  });
});
