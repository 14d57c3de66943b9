import type { FastifyRequest } from 'fastify';
import type { AuditContext } from './audit-log.js';

/** The audit context of a request: the client ip (X-Forwarded-For believed only from TRUSTED_PROXIES) and the request id. */
export function auditContextOf(request: FastifyRequest): AuditContext {
  return { ip: request.ip, requestId: request.id };
}
