import { CommonErrors, type AppError } from '@bursary/errors';

/**
 * Connection-level failures: the service could not be reached or hung up. A
 * connect timeout is here too (unreachable, not slow). Every other exchange
 * failure (protocol errors, length mismatches) is also a 502, worded apart.
 */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** undici's own idle timers, set to the route timeout as a second line behind our deadline. */
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** The pool is closing (shutdown) and takes no new work. */
const CLOSED_CODES = new Set(['UND_ERR_CLOSED', 'UND_ERR_DESTROYED']);

// Bodies name no upstream, host or port (R-ERR-2: 5xx bodies are generic);
// the access log and the `cause` carry which service failed and why.

export function upstreamTimeout(timeoutMs: number): AppError {
  return CommonErrors.UPSTREAM_TIMEOUT({ detail: `The service behind this route did not answer within ${timeoutMs} ms.` });
}

/** Queue saturation: shed at once with Retry-After instead of waiting out the route timeout. */
export function upstreamSaturated(): AppError {
  return CommonErrors.SERVICE_UNAVAILABLE({
    detail: 'Too many requests are waiting for the service behind this route; retry shortly.',
    headers: { 'retry-after': '1' },
  });
}

/**
 * Maps an undici/socket failure to the problem the client sees, by error
 * code, never by message (DESIGN.md §3.7). Anything unknown is still a
 * gateway-side 502 rather than a 500: the fault is on the upstream exchange.
 */
export function upstreamFailure(error: unknown, timeoutMs: number): AppError {
  const code = errorCode(error);
  if (TIMEOUT_CODES.has(code)) return upstreamTimeout(timeoutMs);
  if (CLOSED_CODES.has(code)) {
    return CommonErrors.SERVICE_UNAVAILABLE({ detail: 'The gateway is shutting down; retry.', headers: { 'retry-after': '1' }, cause: error });
  }
  return CommonErrors.UPSTREAM_UNAVAILABLE({
    detail: UNREACHABLE_CODES.has(code) ? 'The service behind this route could not be reached.' : 'The exchange with the service behind this route failed.',
    cause: error,
  });
}

export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}
