export interface JwksFetchOptions {
  /** The whole exchange, connect to last byte. */
  timeoutMs: number;
  /** A JWKS is a few keys; anything much larger is not one. */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 64 * 1024;

/**
 * GETs a JWKS document. No redirects (a JWKS URL that moves is a
 * misconfiguration, not something to follow); a non-200, a timeout, an
 * oversized or non-JSON body all throw.
 */
export function jwksFetcher(url: string, options: JwksFetchOptions): () => Promise<unknown> {
  const target = new URL(url);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  return async () => {
    const response = await fetch(target, {
      method: 'GET',
      redirect: 'manual',
      headers: { accept: 'application/jwk-set+json, application/json' },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new Error(`JWKS answered ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > maxBytes) {
      await response.body?.cancel();
      throw new Error(`JWKS larger than ${maxBytes} bytes`);
    }
    const body = await response.arrayBuffer();
    if (body.byteLength > maxBytes) throw new Error(`JWKS larger than ${maxBytes} bytes`);
    return JSON.parse(new TextDecoder().decode(body)) as unknown;
  };
}
