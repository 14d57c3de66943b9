/**
 * Routes that are guessing targets declare which budget they draw from
 * (`config: { attempt: … }`); each action has its own budgets, so a burst of
 * signups does not lock a user out of login.
 */
export const ATTEMPT_ACTIONS = {
  signup: 'signup',
  login: 'login',
  passwordReset: 'password-reset',
} as const;
export type AttemptAction = (typeof ATTEMPT_ACTIONS)[keyof typeof ATTEMPT_ACTIONS];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** R-RL-2: the brute-force budget this route draws from (per client IP and per account). */
    attempt?: AttemptAction;
  }
}
