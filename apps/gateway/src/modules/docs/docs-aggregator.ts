import type { UpstreamPool, UpstreamPools } from '../../plugins/upstream-pools.js';
import { errorCode } from '../proxy/upstream-errors.js';
import { UPSTREAMS } from '../routing/route-table.js';
import { mergeOpenApi, type RoutedBy, type UpstreamSpec } from './openapi-merge.js';

export interface DocsAggregatorOptions {
  upstreams: UpstreamPools;
  routedBy: RoutedBy;
  /** How long a merged document is served before the upstreams are asked again. */
  ttlMs: number;
  /** Per-upstream deadline for fetching /openapi.json. */
  timeoutMs: number;
  version: string;
}

export interface DocsAggregator {
  /** The merged document, fetched again when older than the TTL. */
  get(requestId: string): Promise<Record<string, unknown>>;
}

async function fetchSpec(upstream: UpstreamPool, timeoutMs: number, requestId: string): Promise<UpstreamSpec> {
  try {
    // Through the same pool as proxied traffic: one set of connections per upstream.
    const response = await upstream.pool.request({
      method: 'GET',
      path: '/openapi.json',
      headers: { accept: 'application/json', 'x-request-id': requestId },
      signal: AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    if (response.statusCode !== 200) {
      await response.body.dump();
      return { upstream: upstream.name, available: false, reason: `HTTP ${response.statusCode}` };
    }
    const document: unknown = await response.body.json();
    if (typeof document !== 'object' || document === null || typeof (document as { paths?: unknown }).paths !== 'object') {
      return { upstream: upstream.name, available: false, reason: 'not an OpenAPI document' };
    }
    return { upstream: upstream.name, available: true, document: document as Extract<UpstreamSpec, { available: true }>['document'] };
  } catch (error) {
    const reason = error instanceof DOMException && error.name === 'TimeoutError' ? 'timeout' : errorCode(error);
    return { upstream: upstream.name, available: false, reason };
  }
}

/**
 * Fetches every upstream's /openapi.json and merges them, cached for a short
 * TTL; concurrent callers share one refresh, so /docs traffic never becomes
 * a fan-out storm against the services.
 */
export function createDocsAggregator(options: DocsAggregatorOptions): DocsAggregator {
  let cached: { document: Record<string, unknown>; expiresAt: number } | undefined;
  let refreshing: Promise<Record<string, unknown>> | undefined;

  const refresh = async (requestId: string) => {
    const specs = await Promise.all(UPSTREAMS.map((name) => fetchSpec(options.upstreams[name], options.timeoutMs, requestId)));
    const document = mergeOpenApi(specs, options.routedBy, { title: 'Bursary API', version: options.version });
    cached = { document, expiresAt: Date.now() + options.ttlMs };
    return document;
  };

  return {
    async get(requestId) {
      if (cached && cached.expiresAt > Date.now()) return cached.document;
      refreshing ??= refresh(requestId).finally(() => {
        refreshing = undefined;
      });
      return refreshing;
    },
  };
}
