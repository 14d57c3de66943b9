import { defineErrors } from '@bursary/errors';

/** Conditions only the gateway produces; the upstream failures themselves are CommonErrors.UPSTREAM_*. */
export const GatewayErrors = defineErrors('gateway', {
  CLIENT_CLOSED_REQUEST: {
    status: 499,
    title: 'Client closed request',
    description: 'The client disconnected before the upstream answered, so the gateway aborted the upstream request. No client reads this; it appears in access logs and metrics (nginx uses the same 499).',
  },
  MAINTENANCE: {
    status: 503,
    title: 'Down for maintenance',
    description: 'The `maintenance` kill switch is on: every /v1 request is refused until it is turned off. Health checks and SEO pages still answer. Retry after the Retry-After delay.',
  },
  PATH_DOT_SEGMENT: {
    status: 400,
    title: 'Dot-segment in path',
    description: 'The path contains a `.` or `..` segment (also percent-encoded). The gateway forwards paths as sent, so it refuses ones an upstream could resolve differently.',
  },
});
