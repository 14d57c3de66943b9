import type { FastifyRequest } from 'fastify';

const TEST_HEADER = 'x-bursary-test';
const FALSE = new Set(['', '0', 'false', 'no']);

/**
 * Whether a request is test traffic (R-OPS-6, R-OPS-4): `?e2e=1` on the URL
 * or an `x-bursary-test` header (synthetic canaries, e2e suites, load tests).
 * Such traffic is served normally; its funnel events are tagged and left out
 * of analytics.
 */
export function isTestTraffic(request: FastifyRequest): boolean {
  const query = request.query as Record<string, unknown> | undefined;
  const flag = query?.['e2e'];
  if (typeof flag === 'string' && !FALSE.has(flag.toLowerCase())) return true;
  if (flag === true || flag === 1) return true;
  const header = request.headers[TEST_HEADER];
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && !FALSE.has(value.toLowerCase());
}
