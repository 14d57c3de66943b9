import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { AppError } from '@bursary/errors';
import type { UpstreamPool } from '../../plugins/upstream-pools.js';
import { GatewayErrors } from './gateway-errors.js';
import { clientResponseHeaders, type OutgoingHeaders } from './proxy-headers.js';
import { errorCode, upstreamFailure, upstreamSaturated, upstreamTimeout } from './upstream-errors.js';

export interface ForwardRequest {
  upstream: UpstreamPool;
  method: string;
  /** The raw request target (path and query) exactly as the client sent it. */
  target: string;
  headers: OutgoingHeaders;
  body: Buffer | undefined;
  /** Deadline for the whole exchange: waiting for a connection, headers and body. */
  timeoutMs: number;
  /** Response bytes held back before streaming starts; while held, a timeout is still a clean 504. */
  bufferBytes: number;
  /** Aborted when the client goes away; the upstream request is aborted with it. */
  clientGone: AbortSignal;
}

export interface ForwardResponse {
  status: number;
  headers: OutgoingHeaders;
  /** A Buffer when the whole body arrived within the buffer; otherwise a stream of the rest. */
  body: Buffer | Readable;
}

/** Thrown when the exchange failed; `error` is the problem to answer with. */
export class ForwardError extends Error {
  constructor(
    readonly error: AppError,
    readonly upstreamCode: string,
  ) {
    super(error.detail, { cause: error });
    this.name = 'ForwardError';
  }
}

type Outcome = { ended: true; chunks: Buffer[] } | { ended: false; chunks: Buffer[] };

/** Reads until the body ends or more than `limit` bytes arrived; then leaves the body paused. */
function readUpTo(body: Readable, limit: number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit) {
        // Pause before the listener goes, or flowing mode would drop chunks.
        body.pause();
        cleanup();
        resolve({ ended: false, chunks });
      }
    };
    const onEnd = () => {
      cleanup();
      resolve({ ended: true, chunks });
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onError);
  });
}

/**
 * One exchange with an upstream over its keep-alive pool. Method, target
 * (path and raw query), body bytes and headers go out as given; status,
 * headers (minus hop-by-hop) and body come back unchanged. Every failure
 * becomes a ForwardError carrying problem+json: 502 unreachable, 503
 * saturated or closing, 504 past the deadline, 499 when the client left.
 */
export async function forward(request: ForwardRequest): Promise<ForwardResponse> {
  const { upstream, timeoutMs } = request;
  const stats = upstream.pool.stats;
  if (stats.pending >= upstream.maxQueued) throw new ForwardError(upstreamSaturated(), 'QUEUE_FULL');

  const controller = new AbortController();
  let reason: 'timeout' | 'client' | undefined;
  const abort = (why: 'timeout' | 'client') => {
    reason ??= why;
    controller.abort(new Error(`upstream request aborted: ${why}`));
  };
  const deadline = setTimeout(() => abort('timeout'), timeoutMs);
  const onClientGone = () => abort('client');
  if (request.clientGone.aborted) onClientGone();
  request.clientGone.addEventListener('abort', onClientGone, { once: true });
  const finish = () => {
    clearTimeout(deadline);
    request.clientGone.removeEventListener('abort', onClientGone);
  };

  const fail = (error: unknown): ForwardError => {
    finish();
    if (reason === 'timeout') return new ForwardError(upstreamTimeout(timeoutMs), 'DEADLINE');
    if (reason === 'client') return new ForwardError(GatewayErrors.CLIENT_CLOSED_REQUEST(), 'CLIENT_GONE');
    return new ForwardError(upstreamFailure(error, timeoutMs), errorCode(error));
  };

  let response: { statusCode: number; headers: IncomingHttpHeaders; body: Readable };
  try {
    response = await upstream.pool.request({
      method: request.method,
      path: request.target,
      headers: request.headers,
      body: request.body ?? null,
      signal: controller.signal,
      // undici's idle timers as a second line behind the deadline above.
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  } catch (error) {
    throw fail(error);
  }

  let outcome: Outcome;
  try {
    outcome = await readUpTo(response.body, request.bufferBytes);
  } catch (error) {
    response.body.destroy();
    throw fail(error);
  }

  const headers = clientResponseHeaders(response.headers);
  if (outcome.ended) {
    finish();
    return { status: response.statusCode, headers, body: Buffer.concat(outcome.chunks) };
  }

  // A large body streams from here on. The deadline still runs: past it the
  // upstream request is aborted and the client connection is cut, since a
  // status has already been sent and cannot become a 504 any more.
  const rest = response.body;
  const stream = Readable.from(
    (async function* () {
      try {
        yield* outcome.chunks;
        yield* rest;
      } finally {
        finish();
        rest.destroy();
      }
    })(),
    { objectMode: false },
  );
  return { status: response.statusCode, headers, body: stream };
}
