import { LRUCache } from 'lru-cache';
import { Counter, type Registry } from 'prom-client';

export interface ResultCacheOptions {
  maxEntries: number;
  /** 0 turns caching off. */
  ttlMs: number;
  registry: Registry;
}

interface Entry {
  value: object;
  epoch: number;
}

/**
 * Public search and list results, kept in memory for a short time (R-CAT-5:
 * a popular query costs one database round trip per minute, not one per
 * request). Correctness does not rest on the TTL: every entry remembers the
 * epoch it was computed in, and any change to listings (seen by this
 * instance's own writes at once, by other instances' within a poll of the
 * listing generation) starts a new epoch, so no result computed before a
 * change is served after it.
 */
export class ResultCache {
  private readonly entries: LRUCache<string, Entry> | undefined;
  private epoch = 0;
  private readonly lookups: Counter<'result'>;

  constructor(options: ResultCacheOptions) {
    this.entries = options.ttlMs > 0 ? new LRUCache<string, Entry>({ max: options.maxEntries, ttl: options.ttlMs }) : undefined;
    this.lookups = new Counter({
      name: 'catalog_result_cache_lookups_total',
      help: 'Search and list results looked up in the in-memory cache, by result (hit, miss)',
      labelNames: ['result'] as const,
      registers: [options.registry],
    });
  }

  /** The cached value of `key`, or `compute()` cached under the epoch it started in. */
  async get<T extends object>(key: string, compute: () => Promise<T>): Promise<T> {
    if (!this.entries) return compute();
    const cached = this.entries.get(key);
    if (cached && cached.epoch === this.epoch) {
      this.lookups.inc({ result: 'hit' });
      return cached.value as T;
    }
    this.lookups.inc({ result: 'miss' });
    const epoch = this.epoch;
    const value = await compute();
    if (epoch === this.epoch) this.entries.set(key, { value, epoch });
    return value;
  }

  /** Listings changed: nothing computed so far may be served again. */
  invalidate(): void {
    this.epoch++;
    this.entries?.clear();
  }
}
