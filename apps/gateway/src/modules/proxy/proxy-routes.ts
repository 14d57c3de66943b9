import { CommonErrors } from '@bursary/errors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { routePatterns, type RouteEntry, type TimeoutClass } from '../routing/route-table.js';
import { forward, ForwardError, type ForwardResponse } from './forward.js';
import { GatewayErrors } from './gateway-errors.js';
import { upstreamRequestHeaders } from './proxy-headers.js';

export interface ProxyRoutesOptions {
  routes: readonly RouteEntry[];
  timeouts: Readonly<Record<TimeoutClass, number>>;
  responseBufferBytes: number;
}

const DOT_SEGMENT = /^\.{1,2}$/;

/**
 * `.` and `..` segments, also percent-encoded (`%2e%2e`) or hidden behind an
 * encoded slash: the target is forwarded as sent, so a path the upstream
 * might resolve differently from our route match is refused here.
 */
function hasDotSegment(target: string): boolean {
  const path = target.split('?', 1)[0] ?? '';
  return path.split('/').some((segment) => {
    let decoded = segment;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      // Bad encodings are the router's business (400 BAD_URL_ENCODING).
    }
    return decoded.split(/[/\\]/).some((part) => DOT_SEGMENT.test(part));
  });
}

/** The client chain for X-Forwarded-For: client first, the peer that connected to us last. */
function forwardedFor(request: FastifyRequest): string[] {
  // With trusted proxies, `ips` is [peer, …trusted hops, client]: the part of
  // the incoming X-Forwarded-For we believe. Without them, only the peer.
  if (request.ips && request.ips.length > 0) return [...request.ips].reverse();
  return [request.socket.remoteAddress ?? 'unknown'];
}

/** Aborts when the client connection closes before the response was written. */
function clientGoneSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}

/** application/json and any structured-syntax `+json` media type (RFC 6839). */
const JSON_CONTENT_TYPE = /^application\/([a-z0-9.+-]+\+)?json(\s*;.*)?$/i;

function isWellFormedJson(body: Buffer): boolean {
  try {
    JSON.parse(body.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

/**
 * One Fastify route per table entry and pattern, so that unknown paths are
 * 404 and known paths with other methods are 405 with Allow, both from the
 * error boundary. Encapsulated (not fastify-plugin): the catch-all body
 * parser below applies to proxied routes only.
 */
export async function proxyRoutes(app: FastifyInstance, options: ProxyRoutesOptions): Promise<void> {
  // Bodies are forwarded as the raw bytes the client sent: never parsed and
  // re-serialised, and never a 415 for a content type an upstream may accept.
  // The body limit still applies (413 problem+json).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  // JSON is still checked for syntax at the edge: a malformed body is the
  // client's mistake (400 MALFORMED_JSON) and must not cost an upstream call.
  // The bytes forwarded remain the client's own.
  app.addContentTypeParser(JSON_CONTENT_TYPE, { parseAs: 'buffer' }, (_request, body, done) => {
    const buffer = body as Buffer;
    if (buffer.length > 0 && !isWellFormedJson(buffer)) {
      done(CommonErrors.MALFORMED_JSON({ detail: 'The request body is not valid JSON.' }), undefined);
      return;
    }
    done(null, buffer);
  });

  for (const entry of options.routes) {
    const upstream = app.upstreams[entry.upstream];
    const timeoutMs = options.timeouts[entry.timeout];
    for (const url of routePatterns(entry)) {
      app.route({
        method: [...entry.methods],
        url,
        schema: { hide: true },
        // Every line about this request (WAF, error boundary, access log)
        // names the upstream: bound when Fastify makes the request's logger,
        // not by a second child logger per request (a pino child is not free).
        childLoggerFactory: (logger, bindings, loggerOptions) => logger.child({ ...bindings, upstream: entry.upstream }, loggerOptions),
        handler: async (request, reply) => {
          const target = request.raw.url ?? '';
          if (!target.startsWith('/')) throw CommonErrors.BAD_REQUEST({ detail: 'The request target must be a path.' });
          if (hasDotSegment(target)) throw GatewayErrors.PATH_DOT_SEGMENT();
          let response: ForwardResponse;
          try {
            response = await forward({
              upstream,
              method: request.method,
              target,
              headers: upstreamRequestHeaders(request.headers, {
                requestId: request.id,
                forwardedFor: forwardedFor(request),
                proto: request.protocol,
                host: request.host || undefined,
              }),
              body: Buffer.isBuffer(request.body) ? request.body : undefined,
              timeoutMs,
              bufferBytes: options.responseBufferBytes,
              clientGone: clientGoneSignal(reply),
            });
          } catch (error) {
            if (!(error instanceof ForwardError)) throw error;
            request.log = request.log.child({ upstreamCode: error.upstreamCode });
            throw error.error;
          }
          if (!Buffer.isBuffer(response.body)) {
            // Past this point the status is sent; Fastify cuts the connection silently.
            response.body.once('error', (error) => request.log.warn({ err: error }, 'upstream response cut off after the status was sent'));
          }
          return reply.code(response.status).headers(response.headers).header('x-request-id', request.id).send(response.body);
        },
      });
    }
  }
}
