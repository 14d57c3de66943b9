import { setMaxListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { stripeJson } from '../api/stripe-json.js';
import { newId } from '../state/ids.js';
import type { Account } from '../state/account.js';
import type { StripeEvent } from '../state/objects.js';
import type { TimeScale } from '../state/time-scale.js';
import type { WebhookFaults } from '../faults/fault-rules.js';
import { STRIPE_RETRY_WAITS_MS } from './retry-schedule.js';
import { WebhookPoster } from './http-post.js';
import { stripeSignatureHeader } from './signature.js';

export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface DeliveryAttempt {
  at: string;
  status?: number;
  error?: string;
}

export interface Delivery {
  id: string;
  event: string;
  type: string;
  url: string;
  /** 0 for the original delivery, 1… for injected duplicates. */
  copy: number;
  status: 'pending' | 'succeeded' | 'failed' | 'dropped';
  attempts: DeliveryAttempt[];
  next_attempt_at: string | null;
}

interface Job {
  account: Account;
  event: { id: string; type: string };
  /** The event as it was when emitted (Stripe sends that snapshot on every attempt). */
  payload: string;
  faults: WebhookFaults;
}

const MAX_DELIVERIES_KEPT = 20_000;

/**
 * Delivers events to the account's webhook endpoints, or the default
 * endpoint when the account registered none, signed like Stripe and retried
 * on any non-2xx answer or network error along Stripe's schedule (compressed
 * by the time scale). Injected faults drop, duplicate, delay or reorder
 * deliveries.
 */
export class WebhookDispatcher {
  defaultTarget: WebhookTarget | undefined;
  private readonly deliveries: Delivery[] = [];
  private readonly held = new Map<string, { jobs: Job[]; timer: NodeJS.Timeout }>();
  private readonly stopped = new AbortController();
  private readonly running = new Set<Promise<void>>();
  private readonly poster = new WebhookPoster();

  constructor(
    private readonly options: { timeScale: TimeScale; timeoutMs: number; defaultSecret: string; defaultTarget?: WebhookTarget },
  ) {
    this.defaultTarget = options.defaultTarget;
    // Every pending retry waits on this signal: thousands of listeners are expected.
    setMaxListeners(0, this.stopped.signal);
  }

  /** Endpoints that receive this account's events of this type. */
  targets(account: Account, type: string): WebhookTarget[] {
    const endpoints = [...account.webhookEndpoints.all()];
    if (endpoints.length === 0) return this.defaultTarget ? [this.defaultTarget] : [];
    return endpoints
      .filter((endpoint) => endpoint.status === 'enabled' && (endpoint.enabled_events.includes('*') || endpoint.enabled_events.includes(type)))
      .map((endpoint) => ({ url: endpoint.url, secret: endpoint.secret ?? this.options.defaultSecret }));
  }

  dispatch(account: Account, event: StripeEvent, faults: WebhookFaults): void {
    if (this.stopped.signal.aborted) return;
    const job = { account, event: { id: event.id, type: event.type }, payload: stripeJson(event), faults };
    if (faults.drop) {
      for (const target of this.targets(account, event.type)) this.record(event, target, 0, 'dropped');
      return;
    }
    if (faults.outOfOrderWindowMs !== undefined) return this.hold(job, faults.outOfOrderWindowMs);
    this.track(this.deliverJob(job));
  }

  /** Deliver an event again now (like `stripe events resend`). */
  resend(account: Account, event: StripeEvent): void {
    const faults = { drop: false, copies: 1, delayMs: 0, outOfOrderWindowMs: undefined };
    this.track(this.deliverJob({ account, event: { id: event.id, type: event.type }, payload: stripeJson(event), faults }));
  }

  list(filter: { event?: string; type?: string; status?: string; accounts?: Account[] }): Delivery[] {
    return this.deliveries.filter(
      (delivery) =>
        (!filter.event || delivery.event === filter.event) &&
        (!filter.type || delivery.type === filter.type) &&
        (!filter.status || delivery.status === filter.status) &&
        (!filter.accounts || filter.accounts.some((account) => account.events.get(delivery.event))),
    );
  }

  clearLog(): void {
    this.deliveries.length = 0;
  }

  async close(): Promise<void> {
    this.stopped.abort();
    for (const { timer } of this.held.values()) clearTimeout(timer);
    this.held.clear();
    await Promise.allSettled([...this.running]);
    this.poster.close();
  }

  private hold(job: Job, windowMs: number): void {
    const key = job.account.apiKey;
    const batch = this.held.get(key);
    if (batch) {
      batch.jobs.push(job);
      return;
    }
    const timer = setTimeout(() => {
      const jobs = this.held.get(key)?.jobs ?? [];
      this.held.delete(key);
      // Newest first, each first attempt awaited, so the receiver sees them reversed.
      this.track(
        (async () => {
          for (const held of jobs.reverse()) await this.deliverJob(held, { sequential: true });
        })(),
      );
    }, windowMs);
    this.held.set(key, { jobs: [job], timer });
  }

  private async deliverJob(job: Job, { sequential = false } = {}): Promise<void> {
    const { event, faults, payload } = job;
    if (faults.delayMs > 0) await this.sleep(faults.delayMs);
    const runs: Promise<void>[] = [];
    for (const target of this.targets(job.account, event.type)) {
      for (let copy = 0; copy < faults.copies; copy += 1) {
        const delivery = this.record(event, target, copy, 'pending');
        const run = this.deliver(delivery, target, payload, job);
        runs.push(run);
        if (sequential) await run.catch(() => undefined);
      }
    }
    await Promise.all(runs);
  }

  private async deliver(delivery: Delivery, target: WebhookTarget, payload: string, job: Job): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      if (this.stopped.signal.aborted) return;
      if (await this.attempt(delivery, target, payload)) {
        delivery.status = 'succeeded';
        delivery.next_attempt_at = null;
        if (delivery.copy === 0) {
          const stored = job.account.events.get(job.event.id);
          if (stored && stored.pending_webhooks > 0) stored.pending_webhooks -= 1;
        }
        return;
      }
      const wait = STRIPE_RETRY_WAITS_MS[attempt];
      if (wait === undefined) {
        delivery.status = 'failed';
        delivery.next_attempt_at = null;
        return;
      }
      const realMs = this.options.timeScale.toRealMs(wait);
      delivery.next_attempt_at = new Date(Date.now() + realMs).toISOString();
      await this.sleep(realMs);
    }
  }

  private async attempt(delivery: Delivery, target: WebhookTarget, payload: string): Promise<boolean> {
    const record: DeliveryAttempt = { at: new Date().toISOString() };
    delivery.attempts.push(record);
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      'stripe-signature': stripeSignatureHeader(payload, target.secret),
    };
    try {
      const { status } = await this.poster.post(target.url, headers, payload, this.options.timeoutMs, this.stopped.signal);
      record.status = status;
      return status >= 200 && status < 300;
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
      return false;
    }
  }

  private record(event: { id: string; type: string }, target: WebhookTarget, copy: number, status: Delivery['status']): Delivery {
    const delivery: Delivery = { id: newId('whd', 14), event: event.id, type: event.type, url: target.url, copy, status, attempts: [], next_attempt_at: null };
    this.deliveries.push(delivery);
    if (this.deliveries.length > MAX_DELIVERIES_KEPT) this.deliveries.shift();
    return delivery;
  }

  /** Resolves after `ms`, or at once when the dispatcher closes. */
  private sleep(ms: number): Promise<void> {
    return delay(ms, undefined, { signal: this.stopped.signal }).catch(() => undefined);
  }

  private track(run: Promise<void>): void {
    const guarded = run.catch(() => undefined);
    this.running.add(guarded);
    void guarded.finally(() => this.running.delete(guarded));
  }
}
