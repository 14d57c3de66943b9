import { errorBoundaryPlugin } from '@bursary/errors';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUTHENTICATED,
  createJwksKeyStore,
  createTokenVerifier,
  edgeAuthPlugin,
  PUBLIC,
  requireRole,
  type AuthMode,
} from '../src/index.js';
import { AUDIENCE, createSigner, ISSUER, type TestSigner } from './support/token-issuer.js';

async function buildTestApp(signer: TestSigner, mode: AuthMode = 'enforce', jwksUp = true): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(errorBoundaryPlugin);
  const store = createJwksKeyStore({
    fetchJwks: async () => {
      if (!jwksUp) throw new Error('ECONNREFUSED');
      return { keys: [signer.jwk] };
    },
    maxAgeMs: 60_000,
    cooldownMs: 1_000,
    retryAfterFailureMs: 1_000,
    maxStaleMs: 0,
  });
  const verifier = createTokenVerifier({ getKey: store.getKey, issuer: ISSUER, audience: AUDIENCE, algorithms: ['EdDSA', 'ES256'], clockToleranceSeconds: 5 });
  await app.register(edgeAuthPlugin, { mode, verifier, accessFor: (request) => request.routeOptions.config.access, retryAfterSeconds: 7 });
  const echo = async (request: FastifyRequest) => ({
    principal: request.principal,
    identity: Object.fromEntries(Object.entries(request.headers).filter(([name]) => name.startsWith('x-bursary') || name.startsWith('x_bursary'))),
  });
  app.get('/public', { config: { access: PUBLIC } }, echo);
  app.get('/me', { config: { access: AUTHENTICATED } }, echo);
  app.get('/provider', { config: { access: requireRole('provider') } }, echo);
  app.get('/ops', { config: { access: requireRole('admin', 'ops') } }, echo);
  app.route({ method: ['GET', 'POST', 'DELETE'], url: '/mixed', config: { access: { byMethod: { GET: PUBLIC, POST: AUTHENTICATED } } }, handler: echo });
  app.get('/undeclared', echo);
  return app;
}

describe('edge auth plugin', () => {
  let signer: TestSigner;
  let app: FastifyInstance;

  beforeAll(async () => {
    signer = await createSigner('p-1');
    app = await buildTestApp(signer);
  });
  afterAll(async () => {
    await app?.close();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('R-AUTH-1: public routes need no token, protected ones answer 401 AUTH_REQUIRED with a Bearer challenge', async () => {
    expect((await app.inject({ url: '/public' })).statusCode).toBe(200);
    const response = await app.inject({ url: '/me' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="bursary"');
    expect(response.json()).toMatchObject({ status: 401, code: 'AUTH_REQUIRED' });
    const basic = await app.inject({ url: '/me', headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(basic.json()).toMatchObject({ code: 'AUTH_REQUIRED' });
  });

  it('R-AUTH-1: a valid token sets request.principal and the identity headers', async () => {
    const response = await app.inject({ url: '/me', headers: bearer(await signer.sign({ sub: 'u-9', roles: ['provider', 'admin'], org: 'org-3' })) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      principal: { userId: 'u-9', roles: ['provider', 'admin'], providerOrg: 'org-3' },
      identity: { 'x-bursary-user-id': 'u-9', 'x-bursary-roles': 'provider,admin', 'x-bursary-provider-org': 'org-3' },
    });
    const lower = await app.inject({ url: '/me', headers: { authorization: `bearer ${await signer.sign()}` } });
    expect(lower.statusCode).toBe(200);
  });

  it('R-AUTH-1: bad tokens are 401 AUTH_INVALID_TOKEN with error="invalid_token"', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const authorization of ['Bearer', 'Bearer ', 'Bearer a.b', 'Bearer a+b/c=.d.e', `Bearer ${'A'.repeat(5000)}.e30.e30`, `Bearer ${await signer.sign({ exp: now - 60 })}`]) {
      const response = await app.inject({ url: '/me', headers: { authorization } });
      expect(response.statusCode, authorization.slice(0, 40)).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="bursary", error="invalid_token"');
      expect(response.json()).toMatchObject({ code: 'AUTH_INVALID_TOKEN' });
    }
    const expired = await app.inject({ url: '/me', headers: bearer(await signer.sign({ exp: now - 60 })) });
    expect(expired.json()).toMatchObject({ detail: 'The access token has expired; refresh it.' });
  });

  it('R-AUTH-1: a valid token without the role is 403 AUTH_FORBIDDEN with error="insufficient_scope"', async () => {
    const student = await signer.sign({ roles: [] });
    const forbidden = await app.inject({ url: '/provider', headers: bearer(student) });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.headers['www-authenticate']).toBe('Bearer realm="bursary", error="insufficient_scope"');
    expect(forbidden.json()).toMatchObject({ code: 'AUTH_FORBIDDEN' });
    expect((await app.inject({ url: '/provider', headers: bearer(await signer.sign({ roles: ['provider'] })) })).statusCode).toBe(200);
    expect((await app.inject({ url: '/ops', headers: bearer(await signer.sign({ roles: ['ops'] })) })).statusCode).toBe(200);
    expect((await app.inject({ url: '/ops', headers: bearer(await signer.sign({ roles: ['provider'] })) })).statusCode).toBe(403);
  });

  it('R-AUTH-1: access can differ by method; an undeclared method fails closed', async () => {
    expect((await app.inject({ method: 'GET', url: '/mixed' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'HEAD', url: '/mixed' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/mixed' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'DELETE', url: '/mixed' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/mixed', headers: bearer(await signer.sign()) })).statusCode).toBe(200);
  });

  it('R-AUTH-1: forged identity headers are stripped on every route, public or not', async () => {
    const forged = { 'x-bursary-user-id': 'admin-1', 'X-Bursary-Roles': 'admin', x_bursary_provider_org: 'org-evil', 'x-bursary-anything': '1' };
    for (const url of ['/public', '/undeclared']) {
      const response = await app.inject({ url, headers: forged });
      expect(response.json()).toMatchObject({ principal: null, identity: {} });
    }
    const mine = await app.inject({ url: '/me', headers: { ...forged, ...bearer(await signer.sign({ sub: 'u-1', roles: [] })) } });
    expect(mine.json()).toMatchObject({ principal: { userId: 'u-1' }, identity: { 'x-bursary-user-id': 'u-1', 'x-bursary-roles': '' } });
    expect(mine.json<{ identity: Record<string, string> }>().identity).not.toHaveProperty('x-bursary-provider-org');
    expect(mine.json<{ identity: Record<string, string> }>().identity).not.toHaveProperty('x_bursary_provider_org');
  });

  it('R-OPS-6: the x-bursary-test marker passes through (it claims no identity); its underscore spelling does not', async () => {
    const response = await app.inject({ url: '/public', headers: { 'x-bursary-test': '1', x_bursary_test: '1', 'x-bursary-user-id': 'admin-1' } });
    expect(response.json()).toMatchObject({ principal: null, identity: { 'x-bursary-test': '1' } });
    expect(Object.keys(response.json<{ identity: Record<string, string> }>().identity)).toEqual(['x-bursary-test']);
  });

  it('R-AUTH-1: JWKS unavailable → 503 AUTH_KEYS_UNAVAILABLE with Retry-After on protected routes; public routes unaffected', async () => {
    const down = await buildTestApp(signer, 'enforce', false);
    try {
      const response = await down.inject({ url: '/me', headers: bearer(await signer.sign()) });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('7');
      expect(response.json()).toMatchObject({ code: 'AUTH_KEYS_UNAVAILABLE' });
      // No token is still "no token", whatever the keys.
      expect((await down.inject({ url: '/me' })).statusCode).toBe(401);
      expect((await down.inject({ url: '/public' })).statusCode).toBe(200);
    } finally {
      await down.close();
    }
  });

  it('mode off verifies nothing but still strips forged identity headers', async () => {
    const off = await buildTestApp(signer, 'off');
    try {
      const response = await off.inject({ url: '/provider', headers: { 'x-bursary-user-id': 'admin-1' } });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ principal: null, identity: {} });
    } finally {
      await off.close();
    }
  });
});
