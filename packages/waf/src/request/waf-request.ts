/**
 * What the engine inspects: a plain description of one HTTP request, built
 * by an adapter (the Fastify plugin, a test, a replay tool) from whatever
 * framework received it. Nothing here depends on Fastify.
 */
export interface WafRequest {
  /** The method exactly as received. */
  method: string;
  /** The raw request target as received: path and query, not decoded. */
  url: string;
  /** Header names in lower case, as Node's `IncomingMessage.headers` has them. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The body bytes as received (no content decoding), or nothing. */
  body?: Uint8Array | string | undefined;
  /** The client address (after trusted-proxy resolution), for allowlists. */
  remoteAddress?: string | undefined;
  /** `1.1`, `1.0`…: only used by protocol rules. */
  httpVersion?: string | undefined;
}

/** Headers whose value is one of a few fixed forms, or a credential: never inspected for injection. */
export const STRUCTURED_HEADERS: ReadonlySet<string> = new Set([
  'authorization', // bearer tokens and basic credentials (and never logged)
  'proxy-authorization',
  'cookie', // parsed into cookie names and values
  'host',
  'content-length',
  'content-type', // checked by the protocol rules
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'accept',
  'accept-encoding',
  'accept-language',
  'accept-charset',
  'cache-control',
  'pragma',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
  'if-range',
  'range',
  'dnt',
  'upgrade-insecure-requests',
  'priority',
  'traceparent',
  'tracestate',
  'baggage',
  'idempotency-key',
  'access-control-request-method',
  'access-control-request-headers',
]);

/** Client-hint and fetch-metadata headers: structured values set by browsers. */
export function isStructuredHeader(name: string): boolean {
  return STRUCTURED_HEADERS.has(name) || name.startsWith('sec-');
}

export function headerValue(headers: WafRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.join(', ');
}
