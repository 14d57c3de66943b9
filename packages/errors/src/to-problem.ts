import { AppError, isAppError } from './app-error.js';
import { CommonErrors } from './common-errors.js';
import { PROBLEM_TYPE_BASE, type ProblemDetails, type ProblemFieldError } from './problem-schema.js';

interface FrameworkError {
  code?: string;
  statusCode?: number;
  validation?: Array<{ instancePath?: string; message?: string; params?: Record<string, unknown> }>;
  validationContext?: string;
}

/** Fastify's own error codes and what a client should read instead. */
const frameworkCodes: Record<string, () => AppError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () => CommonErrors.MALFORMED_JSON({ detail: 'The request body is not valid JSON.' }),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => CommonErrors.EMPTY_JSON_BODY(),
  FST_ERR_CTP_BODY_TOO_LARGE: () => CommonErrors.PAYLOAD_TOO_LARGE(),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => CommonErrors.UNSUPPORTED_MEDIA_TYPE(),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => CommonErrors.BAD_REQUEST({ detail: 'Content-Length does not match the body.' }),
  FST_ERR_BAD_URL: () => CommonErrors.BAD_URL_ENCODING(),
  FST_ERR_MAX_PARAM_LENGTH: () => CommonErrors.URI_TOO_LONG(),
  FST_ERR_ASYNC_CONSTRAINT: () => CommonErrors.BAD_REQUEST(),
  FST_ERR_NOT_FOUND: () => CommonErrors.NOT_FOUND(),
};

function validationFields(error: FrameworkError): ProblemFieldError[] {
  const location = error.validationContext ?? 'body';
  return (error.validation ?? []).map((issue) => {
    const missing = typeof issue.params?.['missingProperty'] === 'string' ? `/${issue.params['missingProperty']}` : '';
    return { field: `/${location}${issue.instancePath ?? ''}${missing}`, message: issue.message ?? 'is invalid' };
  });
}

/**
 * Classifies anything thrown into an AppError. Unknown errors and 5xx become
 * a generic INTERNAL_ERROR so that no stack, SQL or internal message leaks
 * (R-ERR-2); client mistakes reported by Fastify keep their 4xx.
 */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const candidate = (error ?? {}) as FrameworkError;
  if (Array.isArray(candidate.validation)) {
    const errors = validationFields(candidate);
    return CommonErrors.VALIDATION_FAILED({ detail: `${errors.length} field(s) failed validation.`, errors });
  }
  const mapped = candidate.code ? frameworkCodes[candidate.code] : undefined;
  if (mapped) return mapped();
  if (error instanceof SyntaxError && candidate.statusCode === 400) return CommonErrors.MALFORMED_JSON();
  const status = candidate.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return statusFallback(status);
  }
  return CommonErrors.INTERNAL_ERROR({ cause: error });
}

/** A 4xx from a library we do not know by code: keep the status, give it a stable code. */
function statusFallback(status: number): AppError {
  switch (status) {
    case 404: return CommonErrors.NOT_FOUND();
    case 405: return CommonErrors.METHOD_NOT_ALLOWED();
    case 406: return CommonErrors.NOT_ACCEPTABLE();
    case 413: return CommonErrors.PAYLOAD_TOO_LARGE();
    case 414: return CommonErrors.URI_TOO_LONG();
    case 415: return CommonErrors.UNSUPPORTED_MEDIA_TYPE();
    case 429: return CommonErrors.RATE_LIMITED();
    case 431: return CommonErrors.HEADERS_TOO_LARGE();
    default: return new AppError(status, 'BAD_REQUEST', 'Bad request');
  }
}

const GENERIC_5XX_DETAIL = 'The server could not complete the request. Quote the instance id when reporting it.';

/** The problem+json body for an AppError; 5xx bodies are generic whatever the error said. */
export function toProblem(error: AppError, requestId: string): ProblemDetails {
  // An unclassified error says nothing beyond "internal error"; a deliberate
  // 5xx (NOT_READY, UPSTREAM_TIMEOUT) keeps the extensions it was given.
  const unclassified = error.code === 'INTERNAL_ERROR';
  const problem: ProblemDetails & Record<string, unknown> = {
    type: `${PROBLEM_TYPE_BASE}${error.code}`,
    title: error.title,
    status: error.status,
    detail: unclassified ? GENERIC_5XX_DETAIL : error.detail,
    code: error.code,
    instance: requestId,
  };
  // Extension members follow the standard ones and can never replace them.
  if (!unclassified) {
    for (const [key, value] of Object.entries(error.extensions)) if (!(key in problem)) problem[key] = value;
  }
  if (error.errors && error.status < 500) problem.errors = error.errors;
  return problem;
}
