import { defineErrors } from '@bursary/errors';

/** Refusals of the gateway's browser-facing edge; HOST_NOT_ALLOWED itself is @bursary/service-kit's EdgeErrors. */
export const GatewayEdgeErrors = defineErrors('gateway-edge', {
  CORS_ORIGIN_NOT_ALLOWED: {
    status: 403,
    title: 'Origin not allowed',
    description:
      'A CORS preflight from an origin that is not in CORS_ORIGINS (R-CORS-1). The answer carries no Access-Control-Allow-* headers, so the browser does not send the request itself.',
  },
});
