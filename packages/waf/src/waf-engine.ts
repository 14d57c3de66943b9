import { ExclusionIndex, isExcluded, type FieldExclusion } from './field-exclusions.js';
import type { Field, FieldKind } from './request/field.js';
import { parseRequest, type ParseLimits } from './request/parse-request.js';
import type { WafRequest } from './request/waf-request.js';
import { DEFAULT_PROTOCOL_POLICY, type ProtocolPolicy } from './rules/protocol-rules.js';
import { SEVERITY_SCORES, type FieldRule, type ParanoiaLevel, type RequestRule, type RuleCategory, type Severity, type WafRule } from './rules/rule.js';
import { buildRuleSet } from './rules/rule-set.js';

export interface WafEngineOptions {
  /**
   * CRS paranoia level: rules above it do not run. 2 by default: it adds the
   * broader rules (SQL functions with everyday names, snake_case calls, hex
   * literals, ORM operators, CR/LF in query values) and still has no false
   * positive on the golden paths and the CRS benign corpus (R-WAF-4).
   */
  paranoiaLevel?: ParanoiaLevel;
  /** Inbound anomaly score at which a request counts as an attack (CRS default 5: one critical match). */
  inboundThreshold?: number;
  /** Threshold for matches inside a JSON body (R-WAF-3), so free-text bodies can be tuned on their own. */
  jsonBodyThreshold?: number;
  limits?: Partial<ParseLimits>;
  policy?: Partial<ProtocolPolicy>;
  /** Per-route field exclusions (never global by name). */
  exclusions?: readonly FieldExclusion[];
  /** Rules switched off everywhere (CRS `ruleRemoveById`), for emergencies. */
  disabledRules?: readonly string[];
  /**
   * Entries in the per-engine cache of rule results by field kind and value
   * (0 disables it). Field names, enum values, User-Agents and the like repeat
   * from request to request; a value's result never depends on anything else.
   */
  valueCacheSize?: number;
}

export interface InspectOptions {
  /** The route pattern the request matched, for exclusions; undefined for unmatched requests. */
  route?: string | undefined;
}

/** One rule that matched. Carries the field's name, never its value. */
export interface WafMatch {
  ruleId: string;
  category: RuleCategory;
  severity: Severity;
  score: number;
  paranoiaLevel: ParanoiaLevel;
  /** `query:/q`, `body:/items/0/name`, `header:/user-agent`, `path:/`, `method`… */
  field: string;
}

export interface WafVerdict {
  /** Total inbound anomaly score. */
  score: number;
  /** The part of `score` from fields of a JSON body. */
  jsonBodyScore: number;
  matches: WafMatch[];
  ruleIds: string[];
  /** The score reached a threshold: in block mode the request is refused. */
  attack: boolean;
  /** The body is larger than the inspection limit; only its start was inspected. */
  bodyTooLarge: boolean;
}

const NO_RULES: readonly FieldRule[] = [];
/** Longer values are rarely repeated and would make the cache's memory depend on input size. */
const MAX_CACHED_VALUE = 256;

/**
 * A bounded cache in two generations: when the young one is full it becomes
 * the old one and the previous old one is dropped; hits in the old one are
 * promoted. Memory stays fixed whatever clients send, every operation is
 * O(1) (evicting from one big Map one key at a time makes V8 walk its
 * deleted slots, which is what a FIFO Map costs under churn).
 */
class ValueCache {
  private young = new Map<string, readonly FieldRule[]>();
  private old = new Map<string, readonly FieldRule[]>();
  private readonly generation: number;

  constructor(capacity: number) {
    this.generation = Math.floor(capacity / 2);
  }

  get(key: string): readonly FieldRule[] | undefined {
    if (this.generation === 0) return undefined;
    const hit = this.young.get(key);
    if (hit !== undefined) return hit;
    const aged = this.old.get(key);
    if (aged !== undefined) this.set(key, aged);
    return aged;
  }

  set(key: string, value: readonly FieldRule[]): void {
    if (this.generation === 0) return;
    if (this.young.size >= this.generation) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }
}

export const DEFAULT_LIMITS: ParseLimits = { maxBodyBytes: 64 * 1024, maxArgs: 512, maxJsonDepth: 32 };

export interface WafEngine {
  inspect(request: WafRequest, options?: InspectOptions): WafVerdict;
  readonly paranoiaLevel: ParanoiaLevel;
  readonly inboundThreshold: number;
  readonly jsonBodyThreshold: number;
  readonly limits: Readonly<ParseLimits>;
  /** The rules in force, for docs and metrics. */
  readonly rules: readonly WafRule[];
}

/**
 * The engine: parse the request into fields, run every rule at or below the
 * paranoia level over the fields it targets (each rule scores once, CRS
 * style), and compare the anomaly score with the thresholds. Pure and
 * synchronous: no I/O, no framework, no global state.
 */
export function createWafEngine(options: WafEngineOptions = {}): WafEngine {
  const paranoiaLevel = options.paranoiaLevel ?? 2;
  const inboundThreshold = options.inboundThreshold ?? 5;
  const jsonBodyThreshold = options.jsonBodyThreshold ?? inboundThreshold;
  const limits: ParseLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const policy: ProtocolPolicy = { ...DEFAULT_PROTOCOL_POLICY, ...options.policy };
  const disabled = new Set(options.disabledRules ?? []);
  const exclusions = new ExclusionIndex(options.exclusions ?? []);
  const rules = buildRuleSet(policy).filter((rule) => rule.paranoia <= paranoiaLevel && !disabled.has(rule.id));
  const requestRules = rules.filter((rule): rule is RequestRule => rule.scope === 'request');
  // Per kind: the rules whose result depends on the value alone (cacheable)
  // and the ones that also read location or pointer.
  const valueRules = new Map<FieldKind, FieldRule[]>();
  const contextRules = new Map<FieldKind, FieldRule[]>();
  for (const rule of rules) {
    if (rule.scope !== 'field') continue;
    const target = rule.context === true ? contextRules : valueRules;
    for (const kind of rule.targets) target.set(kind, [...(target.get(kind) ?? []), rule]);
  }
  const cache = new ValueCache(options.valueCacheSize ?? 20_000);

  /** The value rules that match a field, from the cache when the value was seen before. */
  const valueMatches = (field: Field): readonly FieldRule[] => {
    const candidates = valueRules.get(field.kind);
    if (candidates === undefined) return NO_RULES;
    const key = field.value.length <= MAX_CACHED_VALUE ? `${field.kind}\u0000${field.value}` : undefined;
    const cached = key === undefined ? undefined : cache.get(key);
    if (cached !== undefined) return cached;
    const mask = field.mask;
    let found: FieldRule[] | undefined;
    for (const rule of candidates) {
      const needs = rule.needs ?? 0;
      if (needs !== 0 && (mask & needs) === 0) continue;
      if (rule.match(field)) (found ??= []).push(rule);
    }
    const result = found ?? NO_RULES;
    if (key !== undefined) cache.set(key, result);
    return result;
  };

  const inspect = (request: WafRequest, inspectOptions: InspectOptions = {}): WafVerdict => {
    const parsed = parseRequest(request, limits);
    const excluded = exclusions.forRequest(inspectOptions.route, request.method);
    const matches: WafMatch[] = [];
    const matched = new Set<string>();
    let score = 0;
    let jsonBodyScore = 0;
    const record = (rule: WafRule, field: string, inJsonBody: boolean) => {
      matched.add(rule.id);
      const points = SEVERITY_SCORES[rule.severity];
      score += points;
      if (inJsonBody) jsonBodyScore += points;
      matches.push({ ruleId: rule.id, category: rule.category, severity: rule.severity, score: points, paranoiaLevel: rule.paranoia, field });
    };

    for (const rule of requestRules) {
      const field = rule.check(parsed);
      if (field !== undefined) record(rule, field, false);
    }
    for (const field of parsed.fields) {
      const inJsonBody = parsed.bodyKind === 'json' && field.location === 'body';
      for (const rule of valueMatches(field)) {
        if (!matched.has(rule.id) && !(excluded.length > 0 && isExcluded(excluded, field, rule))) record(rule, field.name, inJsonBody);
      }
      for (const rule of contextRules.get(field.kind) ?? NO_RULES) {
        if (matched.has(rule.id) || (excluded.length > 0 && isExcluded(excluded, field, rule))) continue;
        const needs = rule.needs ?? 0;
        if ((needs === 0 || (field.mask & needs) !== 0) && rule.match(field)) record(rule, field.name, inJsonBody);
      }
    }

    const requestScore = score - jsonBodyScore;
    const attack = requestScore >= inboundThreshold || jsonBodyScore >= jsonBodyThreshold || score >= Math.max(inboundThreshold, jsonBodyThreshold);
    return { score, jsonBodyScore, matches, ruleIds: [...matched], attack, bodyTooLarge: parsed.bodyLength > limits.maxBodyBytes };
  };

  return { inspect, paranoiaLevel, inboundThreshold, jsonBodyThreshold, limits, rules };
}
