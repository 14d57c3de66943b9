import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ResultCache } from './result-cache.js';

export interface ListingCacheOptions {
  maxBytes: number;
  ttlMs: number;
  pollMs: number;
}

/**
 * Decorates `app.resultCache` and keeps it honest across instances: every
 * `pollMs` it reads catalog.listing_generation (one indexed row, bumped by a
 * statement trigger in the transaction of any listing change) and starts a
 * new cache epoch when it moved. A failed poll (database away) also clears
 * the cache: nothing is served from a past we can no longer check.
 */
async function listingCache(app: FastifyInstance, options: ListingCacheOptions): Promise<void> {
  const cache = new ResultCache({ maxBytes: options.maxBytes, ttlMs: options.ttlMs, registry: app.serviceMetrics.registry });
  app.decorate('resultCache', cache);
  if (options.ttlMs === 0) return;

  let seen: number | undefined;
  let polling = false;
  const poll = async () => {
    if (polling) return;
    polling = true;
    try {
      const [row] = await app.database.sql<Array<{ value: number }>>`select value::float8 as value from catalog.listing_generation where id = 1`;
      const value = row?.value ?? 0;
      if (seen !== undefined && value !== seen) cache.invalidate();
      seen = value;
    } catch {
      seen = undefined;
      cache.invalidate();
    } finally {
      polling = false;
    }
  };
  const timer = setInterval(() => void poll(), options.pollMs);
  timer.unref();
  app.addHook('onReady', poll);
  app.addHook('onClose', async () => clearInterval(timer));
}

export const listingCachePlugin = fp(listingCache, { name: 'catalog-listing-cache', fastify: '5.x', dependencies: ['@bursary/db'] });

declare module 'fastify' {
  interface FastifyInstance {
    resultCache: ResultCache;
  }
}
