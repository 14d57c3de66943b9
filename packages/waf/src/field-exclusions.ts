import type { Field, FieldLocation } from './request/field.js';
import type { RuleCategory, WafRule } from './rules/rule.js';

/**
 * A per-route exclusion (CRS `ctl:ruleRemoveTargetById`): the value at
 * `pointer` in `location` is not inspected by the listed categories or rules
 * on this route only. Never global by name: a `password` field elsewhere is
 * still inspected (R-WAF-3).
 */
export interface FieldExclusion {
  /** The route pattern the framework matched, e.g. `/v1/auth/login` (not the raw URL). */
  route: string;
  /** Methods the exclusion applies to; all when omitted. */
  methods?: readonly string[];
  location: FieldLocation;
  /**
   * RFC 6901 pointer of the field: `/password`, `/q`, `/profile/bio`. A `*`
   * segment matches any one segment (`/items/*\/note`); a pointer also covers
   * everything below it.
   */
  pointer: string;
  /** Rule categories that skip the field; every category when omitted. */
  categories?: readonly RuleCategory[];
  /** Individual rules that skip the field, in addition to `categories`. */
  ruleIds?: readonly string[];
}

function pointerCovers(pattern: string, pointer: string): boolean {
  const want = pattern.split('/');
  const have = pointer.split('/');
  if (have.length < want.length) return false;
  return want.every((segment, index) => segment === '*' || segment === have[index]);
}

export class ExclusionIndex {
  private readonly byRoute = new Map<string, FieldExclusion[]>();

  constructor(exclusions: readonly FieldExclusion[]) {
    for (const exclusion of exclusions) {
      if (!exclusion.pointer.startsWith('/')) throw new Error(`WAF exclusion pointer "${exclusion.pointer}" must be a JSON pointer starting with /`);
      const list = this.byRoute.get(exclusion.route) ?? [];
      list.push(exclusion);
      this.byRoute.set(exclusion.route, list);
    }
  }

  /** The exclusions in force for one request (empty for unmatched routes). */
  forRequest(route: string | undefined, method: string): readonly FieldExclusion[] {
    if (route === undefined) return [];
    const list = this.byRoute.get(route);
    if (list === undefined) return [];
    const upper = method.toUpperCase();
    return list.filter((e) => e.methods === undefined || e.methods.some((m) => m.toUpperCase() === upper));
  }
}

/** Whether `rule` skips `field` under `exclusions`. Names (keys) are always inspected; only values are excluded. */
export function isExcluded(exclusions: readonly FieldExclusion[], field: Field, rule: WafRule): boolean {
  if (exclusions.length === 0 || field.kind === 'arg-name' || field.kind === 'cookie-name') return false;
  return exclusions.some(
    (e) =>
      e.location === field.location &&
      pointerCovers(e.pointer, field.pointer) &&
      ((e.categories === undefined && e.ruleIds === undefined) || (e.categories?.includes(rule.category) ?? false) || (e.ruleIds?.includes(rule.id) ?? false)),
  );
}
