import type { IncomingHttpHeaders } from 'node:http';

type HeaderValue = string | string[] | undefined;
export type OutgoingHeaders = Record<string, string | string[]>;

/** RFC 9110 §7.6.1: connection-specific fields end at each hop. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-connection']);

/**
 * Headers the gateway sets itself on the upstream request. The client's own
 * values are dropped, not merged, so a client cannot claim another address,
 * scheme or host (the trusted part of its X-Forwarded-For survives through
 * `forwardedFor`). `host` is the upstream's; `content-length` is recomputed
 * from the body we actually send; `expect` was already answered by Node.
 */
const SET_BY_GATEWAY = new Set(['host', 'content-length', 'expect', 'x-request-id', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'forwarded', 'x-real-ip']);

function connectionListed(value: HeaderValue): Set<string> {
  const listed = new Set<string>();
  for (const part of [value ?? []].flat()) {
    for (const token of part.split(',')) {
      const name = token.trim().toLowerCase();
      if (name) listed.add(name);
    }
  }
  return listed;
}

function isHopByHop(name: string, listed: Set<string>): boolean {
  return HOP_BY_HOP.has(name) || name.startsWith('proxy-') || listed.has(name);
}

export interface ForwardingContext {
  requestId: string;
  /** The client chain, client first, each hop after it, ending with the peer that connected to us. */
  forwardedFor: readonly string[];
  proto: string;
  host: string | undefined;
}

/** The headers of the upstream request: the client's minus hop-by-hop ones, plus ours. */
export function upstreamRequestHeaders(incoming: IncomingHttpHeaders, context: ForwardingContext): OutgoingHeaders {
  const listed = connectionListed(incoming.connection);
  const headers: OutgoingHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || isHopByHop(name, listed) || SET_BY_GATEWAY.has(name)) continue;
    headers[name] = value;
  }
  headers['x-request-id'] = context.requestId;
  headers['x-forwarded-for'] = context.forwardedFor.join(', ');
  headers['x-forwarded-proto'] = context.proto;
  if (context.host) headers['x-forwarded-host'] = context.host;
  return headers;
}

/** The upstream's response headers minus hop-by-hop ones; the rest passes through unchanged. */
export function clientResponseHeaders(upstream: IncomingHttpHeaders): OutgoingHeaders {
  const listed = connectionListed(upstream.connection);
  const headers: OutgoingHeaders = {};
  for (const [name, value] of Object.entries(upstream)) {
    if (value === undefined || isHopByHop(name, listed)) continue;
    headers[name] = value;
  }
  return headers;
}
