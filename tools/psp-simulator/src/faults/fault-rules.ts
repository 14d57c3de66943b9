import { newId } from '../state/ids.js';
import type { Metadata } from '../state/objects.js';
import type { FaultSpec } from './fault-spec.js';

/** What a fault rule is matched against: the API key, and the request or event. */
export interface FaultSubject {
  apiKey: string;
  metadata: Metadata;
  method?: string;
  path?: string;
  eventType?: string;
}

export interface FaultRule {
  id: string;
  /** Only this API key's requests and events; undefined: every account. */
  apiKey: string | undefined;
  spec: FaultSpec;
  remaining: {
    latency: number;
    fail5xx: number;
    timeoutAfterCharge: number;
    timeoutAfterRefund: number;
    dropWebhooks: number;
    webhookEvents: number;
  };
}

export interface WebhookFaults {
  drop: boolean;
  copies: number;
  delayMs: number;
  outOfOrderWindowMs: number | undefined;
}

type Budget = keyof FaultRule['remaining'];

const DEFAULT_OUT_OF_ORDER_WINDOW_MS = 200;

/**
 * Fault rules installed through the control API. Each rule is scoped to an
 * API key and/or a metadata tag and counts down its own budget, so parallel
 * tests that tag their payments differently never trip each other's faults.
 */
export class FaultRules {
  private rules: FaultRule[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  add(spec: FaultSpec, apiKey: string | undefined): FaultRule {
    const rule: FaultRule = {
      id: newId('flt', 14),
      apiKey,
      spec,
      remaining: {
        latency: spec.latencyMs ? (spec.requests ?? Infinity) : 0,
        fail5xx: spec.failNext5xx ?? 0,
        timeoutAfterCharge: spec.timeoutAfterCharge ?? 0,
        timeoutAfterRefund: spec.timeoutAfterRefund ?? 0,
        dropWebhooks: spec.dropWebhooks ?? 0,
        webhookEvents: spec.duplicateWebhooks || spec.outOfOrderWebhooks || spec.webhookDelayMs ? (spec.webhookEvents ?? Infinity) : 0,
      },
    };
    this.rules.push(rule);
    return rule;
  }

  list(apiKey: string | undefined): FaultRule[] {
    return this.rules.filter((rule) => apiKey === undefined || rule.apiKey === apiKey);
  }

  remove(id: string, apiKey: string | undefined): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id || (apiKey !== undefined && rule.apiKey !== apiKey));
    return this.rules.length < before;
  }

  clear(apiKey: string | undefined): void {
    this.rules = apiKey === undefined ? [] : this.rules.filter((rule) => rule.apiKey !== apiKey);
  }

  /** The 5xx status to answer instead of running the request, if a rule says so. */
  takeFailure(subject: FaultSubject): number | undefined {
    const rule = this.take(subject, 'fail5xx');
    return rule ? (rule.spec.failStatus ?? 500) : undefined;
  }

  takeLatency(subject: FaultSubject): number {
    return this.take(subject, 'latency')?.spec.latencyMs ?? 0;
  }

  /** After a request charged (or refunded): should its answer be lost, and how. */
  takeTimeout(subject: FaultSubject, effect: 'charge' | 'refund'): 'reset' | 'hang' | undefined {
    const rule = this.take(subject, effect === 'charge' ? 'timeoutAfterCharge' : 'timeoutAfterRefund');
    return rule ? (rule.spec.timeoutMode ?? 'reset') : undefined;
  }

  takeWebhookFaults(subject: FaultSubject): WebhookFaults {
    const drop = this.take(subject, 'dropWebhooks') !== undefined;
    const rule = this.take(subject, 'webhookEvents');
    return {
      drop,
      copies: 1 + (rule?.spec.duplicateWebhooks ?? 0),
      delayMs: rule?.spec.webhookDelayMs ?? 0,
      outOfOrderWindowMs: rule?.spec.outOfOrderWebhooks ? (rule.spec.outOfOrderWindowMs ?? DEFAULT_OUT_OF_ORDER_WINDOW_MS) : undefined,
    };
  }

  private take(subject: FaultSubject, budget: Budget): FaultRule | undefined {
    const rule = this.rules.find((candidate) => candidate.remaining[budget] > 0 && matches(candidate, subject));
    if (!rule || this.random() >= (rule.spec.probability ?? 1)) return undefined;
    rule.remaining[budget] -= 1;
    return rule;
  }
}

function matches(rule: FaultRule, subject: FaultSubject): boolean {
  if (rule.apiKey !== undefined && rule.apiKey !== subject.apiKey) return false;
  const match = rule.spec.match;
  if (!match) return true;
  // method and path only match API requests, eventTypes only events.
  if (match.method && subject.method !== match.method) return false;
  if (match.path && !subject.path?.startsWith(match.path)) return false;
  if (match.eventTypes && (subject.eventType === undefined || !match.eventTypes.includes(subject.eventType))) return false;
  return Object.entries(match.metadata ?? {}).every(([key, value]) => subject.metadata[key] === value);
}
