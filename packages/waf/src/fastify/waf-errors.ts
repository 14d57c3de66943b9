import { defineErrors } from '@bursary/errors';

/** The WAF's refusals (R-WAF-2, R-ERR-1). Bodies carry rule ids and the score, never the payload. */
export const WafErrors = defineErrors('waf', {
  WAF_BLOCKED: {
    status: 403,
    title: 'Request blocked',
    description: 'The web application firewall matched attack patterns in the request; `ruleIds` and `score` say which rules and how strongly.',
  },
  WAF_BODY_TOO_LARGE: {
    status: 413,
    title: 'Body too large to inspect',
    description: 'A state-changing request whose body exceeds the WAF inspection limit is refused rather than passed uninspected.',
  },
});
