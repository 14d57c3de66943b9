import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';

/** The shared problem+json body (R-ERR-1), registered by service-kit's OpenAPI plugin under this $id. */
const Problem = Type.Ref('ProblemDetails');

/** Response schemas for the error statuses a route can answer with. */
export function problems(...statuses: number[]): Record<number, typeof Problem> {
  return Object.fromEntries(statuses.map((status) => [status, Problem]));
}

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200, description: 'the scholarship id (UUID) or slug' }) });
export const UuidParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/**
 * Sends JSON text made earlier (a cached result rendered once): Fastify sends
 * a string as it is, so the route's response schema documents the body
 * without serializing it again on every request.
 */
export function sendJsonText(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}
