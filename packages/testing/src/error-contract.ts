import type { AddressInfo } from 'node:net';
import { AppError } from '@bursary/errors';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { rawHttp } from './raw-http.js';

interface CaseResult {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

interface ErrorCase {
  name: string;
  status: number;
  code: string;
  run: (app: FastifyInstance, port: number) => Promise<CaseResult>;
  /** The request id the client sent, which must come back as `instance`. */
  requestId?: string;
}

const SECRET = 'select * from secret_table where password = hunter2';

/** Routes that exist only to provoke each error class inside the real composition. */
async function contractRoutes(scope: FastifyInstance): Promise<void> {
  scope.post('/__contract/echo', {
    bodyLimit: 1024,
    schema: {
      body: { type: 'object', required: ['name', 'age'], properties: { name: { type: 'string', minLength: 2 }, age: { type: 'integer', minimum: 0 } } },
    },
  }, async (request) => request.body);
  scope.get('/__contract/hook-throws-client', {
    onRequest: async () => {
      throw new AppError(409, 'CONTRACT_CONFLICT', 'Conflict', { detail: 'thrown in onRequest' });
    },
  }, async () => ({ ok: true }));
  scope.get('/__contract/hook-throws-internal', {
    preHandler: async () => {
      throw new Error(SECRET);
    },
  }, async () => ({ ok: true }));
  scope.get('/__contract/handler-throws', async () => {
    throw new TypeError(SECRET);
  });
  scope.get('/__contract/item/:id', async (request) => request.params);
}

const inject = async (app: FastifyInstance, options: InjectOptions): Promise<CaseResult> => {
  const response = await app.inject(options);
  return { status: response.statusCode, headers: response.headers, body: response.body };
};

const cases: ErrorCase[] = [
  { name: 'unknown route → 404', status: 404, code: 'NOT_FOUND', requestId: 'req-contract-404', run: (app) => inject(app, { method: 'GET' as const, url: '/v1/no-such-route', headers: { 'x-request-id': 'req-contract-404' } }) },
  { name: 'wrong method → 405 with Allow', status: 405, code: 'METHOD_NOT_ALLOWED', run: (app) => inject(app, { method: 'DELETE', url: '/__contract/echo' }) },
  { name: 'validation → 400 with failing fields', status: 400, code: 'VALIDATION_FAILED', run: (app) => inject(app, { method: 'POST', url: '/__contract/echo', payload: { name: 'x' } }) },
  { name: 'malformed JSON → 400', status: 400, code: 'MALFORMED_JSON', run: (app) => inject(app, { method: 'POST', url: '/__contract/echo', headers: { 'content-type': 'application/json' }, payload: '{"name": "ab",' }) },
  { name: 'unsupported media type → 415', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', run: (app) => inject(app, { method: 'POST', url: '/__contract/echo', headers: { 'content-type': 'application/xml' }, payload: '<a/>' }) },
  { name: 'body over the limit → 413', status: 413, code: 'PAYLOAD_TOO_LARGE', run: (app) => inject(app, { method: 'POST', url: '/__contract/echo', payload: { name: 'x'.repeat(4096), age: 1 } }) },
  { name: 'bad URL encoding in a param → 400', status: 400, code: 'BAD_URL_ENCODING', run: (app) => inject(app, { method: 'GET' as const, url: '/__contract/item/%zz' }) },
  { name: 'bad URL encoding at the root (/%zz) → 400', status: 400, code: 'BAD_URL_ENCODING', run: (_app, port) => rawHttp(port, 'GET /%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n') },
  { name: 'client error thrown in an onRequest hook keeps its status', status: 409, code: 'CONTRACT_CONFLICT', run: (app) => inject(app, { method: 'GET' as const, url: '/__contract/hook-throws-client' }) },
  { name: 'unknown error in a hook → generic 500', status: 500, code: 'INTERNAL_ERROR', run: (app) => inject(app, { method: 'GET' as const, url: '/__contract/hook-throws-internal' }) },
  { name: 'unknown error in a handler → generic 500', status: 500, code: 'INTERNAL_ERROR', run: (app) => inject(app, { method: 'GET' as const, url: '/__contract/handler-throws' }) },
  { name: 'HTTP parser error (bad Content-Length) → 400', status: 400, code: 'BAD_REQUEST', run: (_app, port) => rawHttp(port, 'POST /__contract/echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n') },
  { name: 'malformed request line → 400', status: 400, code: 'BAD_REQUEST', run: (_app, port) => rawHttp(port, 'GET /\x01 HTTP/1.1\r\nHost: localhost\r\n\r\n') },
  { name: 'missing Host → 400', status: 400, code: 'HOST_MISSING', run: (_app, port) => rawHttp(port, 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n') },
];

/**
 * R-ERR-1..3, table-driven: every error class a client can provoke answers
 * problem+json with a stable code and the request id, through the real
 * composition of the service (`build` returns its buildApp result, not ready yet).
 */
export function describeErrorContract(service: string, build: () => Promise<FastifyInstance>): void {
  describe(`${service}: error contract`, () => {
    let app: FastifyInstance;
    let port = 0;
    beforeAll(async () => {
      app = await build();
      await app.register(contractRoutes);
      await app.listen({ host: '127.0.0.1', port: 0 });
      port = (app.server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await app?.close();
    });

    it.each(cases)('R-ERR-1: $name', async (testCase) => {
      const result = await testCase.run(app, port);
      expect(result.status).toBe(testCase.status);
      expect(String(result.headers['content-type'])).toMatch(/^application\/problem\+json/);
      const problem = JSON.parse(result.body) as Record<string, unknown>;
      expect(problem).toMatchObject({ status: testCase.status, code: testCase.code });
      expect(typeof problem['type']).toBe('string');
      expect(typeof problem['title']).toBe('string');
      expect(typeof problem['detail']).toBe('string');
      expect(problem['instance']).toBe(result.headers['x-request-id']);
      if (testCase.requestId) expect(problem['instance']).toBe(testCase.requestId);
      if (testCase.code === 'VALIDATION_FAILED') {
        expect(problem['errors']).toEqual(expect.arrayContaining([expect.objectContaining({ field: '/body/age' })]));
      }
      if (testCase.code === 'METHOD_NOT_ALLOWED') expect(result.headers['allow']).toBe('POST');
    });

    it('R-ERR-2: 5xx bodies leak no message, SQL or stack', async () => {
      for (const url of ['/__contract/hook-throws-internal', '/__contract/handler-throws']) {
        const response = await app.inject({ method: 'GET', url });
        expect(response.statusCode).toBe(500);
        expect(response.body).not.toContain('secret_table');
        expect(response.body).not.toContain('hunter2');
        expect(response.body).not.toMatch(/at .+\.(js|ts):\d+/);
      }
    });

    it('R-ERR-3: errors thrown in onRequest hooks reach the error boundary', async () => {
      const response = await app.inject({ method: 'GET', url: '/__contract/hook-throws-client' });
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ code: 'CONTRACT_CONFLICT', detail: 'thrown in onRequest' });
    });
  });
}
