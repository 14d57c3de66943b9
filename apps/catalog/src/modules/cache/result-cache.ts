import { LRUCache } from 'lru-cache';
import { Counter, type Registry } from 'prom-client';

/**
 * A result with its JSON text, made once when computed: a cached answer is
 * sent as it is, with no serialization per request.
 */
export interface Rendered<T> {
  value: T;
  json: string;
}

export function render<T>(value: T): Rendered<T> {
  return { value, json: JSON.stringify(value) };
}

export interface ResultCacheOptions {
  /** The most bytes of JSON text kept; least recently used results go first. */
  maxBytes: number;
  /** 0 turns caching off. */
  ttlMs: number;
  registry: Registry;
}

interface Entry {
  rendered: Rendered<unknown>;
  epoch: number;
}

/**
 * Public search and list results, kept in memory (R-CAT-5: a popular query
 * costs one database round trip per TTL, not one per request). Correctness
 * does not rest on the TTL: every entry remembers the epoch it was computed
 * in, and any change to listings (seen by this instance's own writes at once,
 * by other instances' within a poll of the listing generation) starts a new
 * epoch, so no result computed before a change is served after it.
 */
export class ResultCache {
  private readonly entries: LRUCache<string, Entry> | undefined;
  private epoch = 0;
  private readonly lookups: Counter<'result'>;

  constructor(options: ResultCacheOptions) {
    this.entries =
      options.ttlMs > 0
        ? new LRUCache<string, Entry>({ maxSize: options.maxBytes, sizeCalculation: (entry) => Math.max(1, entry.rendered.json.length), ttl: options.ttlMs })
        : undefined;
    this.lookups = new Counter({
      name: 'catalog_result_cache_lookups_total',
      help: 'Search and list results looked up in the in-memory cache, by result (hit, miss)',
      labelNames: ['result'] as const,
      registers: [options.registry],
    });
  }

  /** The cached result of `key`, or `compute()` cached under the epoch it started in. */
  async get<T>(key: string, compute: () => Promise<Rendered<T>>): Promise<Rendered<T>> {
    if (!this.entries) return compute();
    const cached = this.entries.get(key);
    if (cached && cached.epoch === this.epoch) {
      this.lookups.inc({ result: 'hit' });
      return cached.rendered as Rendered<T>;
    }
    this.lookups.inc({ result: 'miss' });
    const epoch = this.epoch;
    const rendered = await compute();
    if (epoch === this.epoch) this.entries.set(key, { rendered, epoch });
    return rendered;
  }

  /** Listings changed: nothing computed so far may be served again. */
  invalidate(): void {
    this.epoch++;
    this.entries?.clear();
  }
}
