import { Type, type TSchema } from 'typebox';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (problem+json; `code` says which rule)',
  401: 'Not authenticated (problem+json)',
  429: 'Too many attempts (problem+json, Retry-After)',
  503: 'A dependency is down, e.g. the rate limiter (problem+json, Retry-After)',
};

/** The problem+json responses of a route (R-ERR-1), for its OpenAPI schema. */
export function problemResponses(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((status) => [status, Type.Ref('ProblemDetails', { description: DESCRIPTIONS[status] ?? 'Error (problem+json)' })]));
}
