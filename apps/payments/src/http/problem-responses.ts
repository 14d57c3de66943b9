import { Type, type TSchema } from 'typebox';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input or Idempotency-Key (problem+json; `code` says which rule)',
  401: 'Not authenticated (problem+json)',
  402: 'Payment declined (problem+json)',
  403: 'Not allowed (problem+json)',
  404: 'Not found (problem+json)',
  409: 'Conflict, e.g. IDEMPOTENCY_KEY_IN_USE with Retry-After (problem+json)',
  422: 'IDEMPOTENCY_KEY_REUSED or an amount out of range (problem+json)',
  503: 'Unavailable: purchases switched off or the PSP not answering (problem+json, Retry-After)',
};

/** The problem+json responses of a route (R-ERR-1), for its OpenAPI schema. */
export function problemResponses(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((status) => [status, Type.Ref('ProblemDetails', { description: DESCRIPTIONS[status] ?? 'Error (problem+json)' })]));
}

/** The Idempotency-Key header of money-moving POSTs (R-PAY-2), documented in OpenAPI. */
export const IdempotencyKeyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ description: 'Required: 1–255 printable characters, bare or quoted; reuse it to retry safely. Missing → 400 IDEMPOTENCY_KEY_MISSING.' }),
  ),
});
