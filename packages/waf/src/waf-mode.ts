/**
 * How the WAF acts on a verdict (R-WAF-2). `by-method` is CRS's
 * detection-only mode for safe methods and blocking for the rest: a false
 * positive on a GET costs a log line, not a lost page view, while every
 * state-changing request is protected.
 */
export const WAF_MODES = {
  byMethod: 'by-method',
  block: 'block',
  detect: 'detect',
  off: 'off',
} as const;
export type WafMode = (typeof WAF_MODES)[keyof typeof WAF_MODES];

/** What a mode means for one request. */
export const WAF_ACTIONS = { block: 'block', detect: 'detect', off: 'off' } as const;
export type WafAction = (typeof WAF_ACTIONS)[keyof typeof WAF_ACTIONS];

/** Methods that change state; RFC 9110 §9.2.1 calls the others safe. */
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isWafMode(value: unknown): value is WafMode {
  return typeof value === 'string' && (Object.values(WAF_MODES) as string[]).includes(value);
}

/**
 * The action for a request: `by-method` detects on GET/HEAD (and other
 * safe methods) and blocks POST/PUT/PATCH/DELETE; `block`, `detect` and
 * `off` apply to every method.
 */
export function actionFor(mode: WafMode, method: string): WafAction {
  switch (mode) {
    case WAF_MODES.block:
      return WAF_ACTIONS.block;
    case WAF_MODES.detect:
      return WAF_ACTIONS.detect;
    case WAF_MODES.off:
      return WAF_ACTIONS.off;
    default:
      return MUTATING.has(method.toUpperCase()) ? WAF_ACTIONS.block : WAF_ACTIONS.detect;
  }
}
