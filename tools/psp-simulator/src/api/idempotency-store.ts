import { stripeJson } from './stripe-json.js';

/** Stripe's limit on the Idempotency-Key header. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
/** Expired entries are dropped every this many claims, so a long run does not grow without bound. */
const SWEEP_EVERY = 1024;

export interface StoredResponse {
  status: number;
  /** The exact bytes first sent, so a replay is byte-identical. */
  body: string;
  requestId: string;
}

interface Entry {
  endpoint: string;
  fingerprint: string;
  expiresAt: number;
  response?: StoredResponse;
}

export type Claim =
  | { kind: 'claimed' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'in_flight' }
  | { kind: 'other_endpoint'; endpoint: string }
  | { kind: 'other_params' };


/**
 * Stripe's idempotency layer for one account: the first request with a key
 * claims it; while it runs, the same key gets 409; once it finished, the same
 * endpoint and parameters get the saved response, anything else an
 * idempotency error. A key whose request never began executing (failed
 * validation) is released and may be used again. Entries expire after the
 * TTL (Stripe: at least 24 hours).
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  private claims = 0;

  constructor(private readonly ttlMs: number) {}

  claim(key: string, endpoint: string, params: unknown): Claim {
    const now = Date.now();
    if (++this.claims % SWEEP_EVERY === 0) this.sweep(now);
    const existing = this.entries.get(key);
    if (existing && existing.expiresAt > now) {
      if (!existing.response) return { kind: 'in_flight' };
      if (existing.endpoint !== endpoint) return { kind: 'other_endpoint', endpoint: existing.endpoint };
      if (existing.fingerprint !== stripeJson(params ?? {})) return { kind: 'other_params' };
      return { kind: 'replay', response: existing.response };
    }
    this.entries.set(key, { endpoint, fingerprint: stripeJson(params ?? {}), expiresAt: now + this.ttlMs });
    return { kind: 'claimed' };
  }

  complete(key: string, response: StoredResponse): void {
    const entry = this.entries.get(key);
    if (entry) entry.response = response;
  }

  release(key: string): void {
    this.entries.delete(key);
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.entries) if (entry.response && entry.expiresAt <= now) this.entries.delete(key);
  }

  /** As if 24 hours passed: every finished key may be reused (tests of "an expired key must not charge twice"). */
  expireAll(): number {
    let count = 0;
    for (const [key, entry] of this.entries) {
      if (entry.response) {
        this.entries.delete(key);
        count += 1;
      }
    }
    return count;
  }
}
