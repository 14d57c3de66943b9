import { maskOf } from '../request/char-mask.js';
import type { Field, FieldKind } from '../request/field.js';
import type { ParsedRequest } from '../request/parse-request.js';

/** CRS severities and the anomaly score each one adds (CRS 949 scoring). */
export const SEVERITY_SCORES = { critical: 5, error: 4, warning: 3, notice: 2 } as const;
export type Severity = keyof typeof SEVERITY_SCORES;

/** Rule families, named like the CRS rule files they mirror. */
export const RULE_CATEGORIES = {
  sqli: 'sqli',
  xss: 'xss',
  lfi: 'lfi',
  rfi: 'rfi',
  rce: 'rce',
  php: 'php',
  java: 'java',
  node: 'node',
  protocol: 'protocol',
  scanner: 'scanner',
  session: 'session',
  generic: 'generic',
} as const;
export type RuleCategory = (typeof RULE_CATEGORIES)[keyof typeof RULE_CATEGORIES];

export type ParanoiaLevel = 1 | 2 | 3 | 4;

interface RuleBase {
  /** Stable id, `WAF_<AREA>_<NNN>`: logged, counted and returned to the client. */
  id: string;
  category: RuleCategory;
  severity: Severity;
  /** The lowest paranoia level at which the rule runs (CRS semantics). */
  paranoia: ParanoiaLevel;
  /** What the rule detects, for logs and docs. */
  description: string;
}

/** A rule that looks at one field value at a time. */
export interface FieldRule extends RuleBase {
  scope: 'field';
  targets: readonly FieldKind[];
  /** Character classes (char-mask.ts) of which a value needs one for the rule to match; 0 when any value may. */
  needs?: number;
  /**
   * The rule reads the field's location or pointer, not just its kind and
   * value; its result is never taken from the engine's value cache.
   */
  context?: boolean;
  match(field: Field): boolean;
}

/** A rule about the request as a whole (request line, headers, framing). Returns the field name it blames. */
export interface RequestRule extends RuleBase {
  scope: 'request';
  check(request: ParsedRequest): string | undefined;
}

export type WafRule = FieldRule | RequestRule;

/**
 * A regex tested against one field view. `needs` lists characters of which
 * the pattern cannot match without at least one: fields without any skip the
 * regex (see char-mask.ts). Omit it when the pattern can match plain words.
 */
export function viewRule(
  base: Omit<FieldRule, 'scope' | 'match'>,
  view: (field: Field) => string | undefined,
  pattern: RegExp,
  needs?: string,
): FieldRule {
  return {
    ...base,
    scope: 'field',
    needs: needs === undefined ? 0 : maskOf(needs),
    match: (field) => {
      const text = view(field);
      return text !== undefined && pattern.test(text);
    },
  };
}
