import { Type, type Static } from 'typebox';

/** One failing input field, reported on 400 VALIDATION_FAILED. */
export const ProblemFieldError = Type.Object({
  field: Type.String({ description: 'JSON pointer or location of the failing field, e.g. /body/email' }),
  message: Type.String(),
});

/**
 * RFC 9457 problem details, plus the stable machine `code` and the request id
 * as `instance` (R-ERR-1). Every error response of every service has this shape.
 */
export const ProblemDetails = Type.Object(
  {
    type: Type.String({ description: 'URI identifying the problem type' }),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.String(),
    code: Type.String({ pattern: '^[A-Z][A-Z0-9_]*$', description: 'Stable machine-readable code' }),
    instance: Type.String({ description: 'The request id (x-request-id) of the failing request' }),
    errors: Type.Optional(Type.Array(ProblemFieldError)),
  },
  { $id: 'ProblemDetails', additionalProperties: true },
);

export type ProblemDetails = Static<typeof ProblemDetails>;
export type ProblemFieldError = Static<typeof ProblemFieldError>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** Base of every `type` URI; the fragment is the code, documented in docs/errors.md. */
export const PROBLEM_TYPE_BASE = 'https://docs.bursary.dev/errors#';
