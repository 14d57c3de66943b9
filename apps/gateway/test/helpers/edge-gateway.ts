import type { AddressInfo } from 'node:net';
import { createMemoryRuntimeConfig, type MemoryRuntimeConfig } from '@bursary/runtime-config';
import type { ServiceInstance } from '@bursary/service-kit';
import { serviceTestEnv } from '@bursary/testing';
import { buildApp } from '../../src/app.js';
import { loadGatewayConfig } from '../../src/config.js';
import { refusedOrigin, type FakeUpstream } from './fake-upstream.js';

export interface EdgeGateway {
  app: ServiceInstance;
  port: number;
  /** Live settings of this instance (`hosts.mode`…), in memory. */
  runtimeConfig: MemoryRuntimeConfig;
  close(): Promise<void>;
}

/** The real gateway composition on port 0, a catalog upstream, in-memory runtime config. */
export async function startEdgeGateway(catalog: FakeUpstream | undefined, env: Record<string, string> = {}): Promise<EdgeGateway> {
  const refused = await refusedOrigin();
  const runtimeConfig = createMemoryRuntimeConfig();
  const config = loadGatewayConfig(
    serviceTestEnv({
      UPSTREAM_ACCOUNTS_URL: refused,
      UPSTREAM_CATALOG_URL: catalog?.url ?? refused,
      UPSTREAM_PAYMENTS_URL: catalog?.url ?? refused,
      UPSTREAM_WEBHOOKS_URL: refused,
      ...env,
    }),
  );
  const app = await buildApp(config, { runtimeConfig });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, port: (app.server.address() as AddressInfo).port, runtimeConfig, close: () => app.close() };
}

/** One metric value from the app's registry (0 when the series does not exist yet). */
export async function metricValue(app: ServiceInstance, name: string, labels: Record<string, string>): Promise<number> {
  const values = (await app.serviceMetrics.registry.getSingleMetric(name)?.get())?.values ?? [];
  return values.filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)).reduce((sum, v) => sum + v.value, 0);
}

/** A raw HTTP/1.1 request with exactly these header lines (no Host added), closing the connection. */
export function rawRequest(method: string, target: string, headerLines: string[], body = ''): string {
  const lines = [`${method} ${target} HTTP/1.1`, ...headerLines, 'Connection: close'];
  if (body !== '') lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
