import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Gauge } from 'prom-client';
import { Pool } from 'undici';
import type { Upstream } from '../modules/routing/route-table.js';

export interface UpstreamPool {
  readonly name: Upstream;
  readonly origin: string;
  readonly pool: Pool;
  /** Requests allowed to wait for a connection before new ones are shed with 503. */
  readonly maxQueued: number;
}

export type UpstreamPools = Readonly<Record<Upstream, UpstreamPool>>;

export interface UpstreamPoolsOptions {
  origins: Readonly<Record<Upstream, string>>;
  connections: number;
  maxQueued: number;
  connectTimeoutMs: number;
}

/**
 * One undici keep-alive pool per upstream (DESIGN.md §1: not a connection
 * per request), created when the app is built and closed in onClose, after
 * Fastify has drained in-flight requests.
 */
async function upstreamPools(app: FastifyInstance, options: UpstreamPoolsOptions): Promise<void> {
  const entries = Object.entries(options.origins) as Array<[Upstream, string]>;
  const pools = Object.fromEntries(
    entries.map(([name, origin]) => {
      const pool = new Pool(origin, {
        connections: options.connections,
        // One request per connection at a time: a slow response never blocks
        // another one queued behind it on the same socket (head-of-line).
        pipelining: 1,
        connectTimeout: options.connectTimeoutMs,
      });
      return [name, { name, origin: new URL(origin).origin, pool, maxQueued: options.maxQueued }];
    }),
  ) as Record<Upstream, UpstreamPool>;

  // Pool occupancy per upstream (R-OPS-1), read at scrape time on the internal
  // metrics port: `pending` near UPSTREAM_MAX_QUEUED means 503s are next.
  new Gauge({
    name: 'gateway_upstream_pool_requests',
    help: 'Requests per upstream pool by state: running (on a connection) or pending (waiting for one)',
    labelNames: ['upstream', 'state'] as const,
    registers: [app.serviceMetrics.registry],
    collect() {
      for (const { name, pool } of Object.values(pools)) {
        const stats = pool.stats;
        this.set({ upstream: name, state: 'running' }, stats.running);
        this.set({ upstream: name, state: 'pending' }, stats.pending);
      }
    },
  });
  new Gauge({
    name: 'gateway_upstream_pool_connections',
    help: 'Connections per upstream pool by state: connected or free (idle keep-alive)',
    labelNames: ['upstream', 'state'] as const,
    registers: [app.serviceMetrics.registry],
    collect() {
      for (const { name, pool } of Object.values(pools)) {
        const stats = pool.stats;
        this.set({ upstream: name, state: 'connected' }, stats.connected);
        this.set({ upstream: name, state: 'free' }, stats.free);
      }
    },
  });

  app.decorate('upstreams', pools);
  app.addHook('onClose', async () => {
    await Promise.all(Object.values(pools).map(({ pool }) => pool.close()));
  });
}

export const upstreamPoolsPlugin = fp(upstreamPools, { name: '@bursary/gateway-upstreams', fastify: '5.x' });

declare module 'fastify' {
  interface FastifyInstance {
    upstreams: UpstreamPools;
  }
}
