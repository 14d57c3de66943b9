import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceInstance } from '@bursary/service-kit';
import { serviceTestEnv } from '@bursary/testing';
import { buildApp, type GatewayDeps } from '../../src/app.js';
import { loadGatewayConfig } from '../../src/config.js';
import { refusedOrigin, type FakeUpstream } from './fake-upstream.js';

export interface RunningGateway {
  app: ServiceInstance;
  port: number;
  close(): Promise<void>;
}

type UpstreamName = 'accounts' | 'catalog' | 'payments' | 'webhooks';

/**
 * Builds the real gateway composition, pointed at the given fake upstreams
 * (missing ones at an origin that refuses connections), listening on port 0.
 */
export async function startGateway(upstreams: Partial<Record<UpstreamName, FakeUpstream>>, env: Record<string, string> = {}, deps: GatewayDeps = {}): Promise<RunningGateway> {
  const origin = async (name: UpstreamName) => upstreams[name]?.url ?? (await refusedOrigin());
  const config = loadGatewayConfig(
    serviceTestEnv({
      UPSTREAM_ACCOUNTS_URL: await origin('accounts'),
      UPSTREAM_CATALOG_URL: await origin('catalog'),
      UPSTREAM_PAYMENTS_URL: await origin('payments'),
      UPSTREAM_WEBHOOKS_URL: await origin('webhooks'),
      ...env,
    }),
  );
  const app = await buildApp(config, deps);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, port: (app.server.address() as AddressInfo).port, close: () => app.close() };
}

export interface ClientResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

/**
 * One request with node:http, so that the request target goes out exactly as
 * written (fetch would normalise the query) and no keep-alive is reused.
 */
export function send(port: number, options: { method?: string; path: string; headers?: OutgoingHttpHeaders; body?: Buffer | string; signal?: AbortSignal }): Promise<ClientResponse> {
  return new Promise((resolve, reject) => {
    // An explicit length: Node sends a DELETE body without one otherwise, which no server can frame.
    const headers = options.body === undefined ? options.headers : { 'content-length': Buffer.byteLength(options.body), ...options.headers };
    const req = httpRequest({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers, agent: false, signal: options.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8'), json: <T>() => JSON.parse(body.toString('utf8')) as T });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
