import { defineErrors } from './error-catalogue.js';

/** Errors every service can answer with (R-ERR-1, R-ERR-2). */
export const CommonErrors = defineErrors('common', {
  VALIDATION_FAILED: { status: 400, title: 'Validation failed', description: 'The request did not match the schema; `errors` lists the failing fields.' },
  MALFORMED_JSON: { status: 400, title: 'Malformed JSON body', description: 'The body is declared as JSON but does not parse.' },
  EMPTY_JSON_BODY: { status: 400, title: 'Empty JSON body', description: 'Content-Type is JSON but the body is empty.' },
  BAD_URL_ENCODING: { status: 400, title: 'Bad URL encoding', description: 'The path holds an invalid percent-encoding such as `%zz`.' },
  BAD_REQUEST: { status: 400, title: 'Bad request', description: 'The HTTP request could not be parsed (request line, headers or framing).' },
  HOST_MISSING: { status: 400, title: 'Host header missing', description: 'Every request must carry exactly one Host header.' },
  NOT_FOUND: { status: 404, title: 'Not found', description: 'No route or resource answers to this path.' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed', description: 'The path exists but not for this method; see the Allow header.' },
  NOT_ACCEPTABLE: { status: 406, title: 'Not acceptable', description: 'No representation matches the Accept header.' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large', description: 'The body exceeds the size limit of this route.' },
  URI_TOO_LONG: { status: 414, title: 'URI too long', description: 'The request target exceeds the length limit.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type', description: 'The Content-Type of the body is not accepted by this route.' },
  HEADERS_TOO_LARGE: { status: 431, title: 'Request header fields too large', description: 'The request headers exceed the size limit.' },
  RATE_LIMITED: { status: 429, title: 'Too many requests', description: 'A rate limit was exceeded; retry after the Retry-After delay.' },
  INTERNAL_ERROR: { status: 500, title: 'Internal server error', description: 'An unexpected error; the body never says more. Quote `instance` to support.' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'Service unavailable', description: 'The service cannot answer now (a dependency is down or load is shed); retry later.' },
  NOT_READY: { status: 503, title: 'Not ready', description: 'A dependency named in `dependencies` is not available.' },
  UPSTREAM_UNAVAILABLE: { status: 502, title: 'Upstream unavailable', description: 'The gateway could not reach the service behind this route.' },
  UPSTREAM_TIMEOUT: { status: 504, title: 'Upstream timeout', description: 'The service behind this route did not answer within the route timeout.' },
});
