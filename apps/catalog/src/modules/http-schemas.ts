import { Type } from 'typebox';

/** The shared problem+json body (R-ERR-1), registered by service-kit's OpenAPI plugin under this $id. */
const Problem = Type.Ref('ProblemDetails');

/** Response schemas for the error statuses a route can answer with. */
export function problems(...statuses: number[]): Record<number, typeof Problem> {
  return Object.fromEntries(statuses.map((status) => [status, Problem]));
}

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200, description: 'the scholarship id (UUID) or slug' }) });
export const UuidParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
