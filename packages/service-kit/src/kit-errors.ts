import { defineErrors } from '@bursary/errors';

/**
 * Refusals every service can give at its edge, before any route runs. The
 * gateway's host allowlist (R-HOST) answers HOST_NOT_ALLOWED too, so the code
 * lives here, where every service can reach it.
 */
export const EdgeErrors = defineErrors('edge', {
  HOST_NOT_ALLOWED: {
    status: 400,
    title: 'Host not allowed',
    description:
      'The Host header (or, from a trusted proxy, the last X-Forwarded-Host value) is empty, duplicated, malformed or not a host this service answers for (R-HOST-1, R-HOST-2). Nothing behind the edge ran.',
  },
  OVERLOADED: {
    status: 503,
    title: 'Overloaded',
    description:
      'The service is shedding load (event-loop lag or memory over its threshold, R-SHED-1); anonymous reads are shed first. Retry after the Retry-After delay. Health checks are never shed.',
  },
});
