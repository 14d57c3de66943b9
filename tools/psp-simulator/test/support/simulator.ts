import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { startPspSimulator, type PspSimulator, type PspSimulatorOptions } from '../../src/index.js';

/** A fresh secret key: its own simulated account, so tests never see each other's objects. */
export function testKey(): string {
  return `sk_test_${randomUUID().replaceAll('-', '')}`;
}

/** The official client pointed at the simulator, without automatic retries unless asked. */
export function stripeClient(simulator: PspSimulator, key = testKey(), options: Partial<Stripe.StripeConfig> = {}): Stripe {
  return new Stripe(key, { host: simulator.host, port: simulator.port, protocol: 'http', maxNetworkRetries: 0, ...options });
}

/** Stripe time runs 100 000× faster: the three-day retry schedule takes about 2.6 s. */
export function startTestSimulator(options: PspSimulatorOptions = {}): Promise<PspSimulator> {
  return startPspSimulator({ timeFactor: 100_000, ...options });
}

/** A control API call (JSON), optionally scoped to one account's key. */
export async function control<T = unknown>(simulator: PspSimulator, method: string, path: string, body?: unknown, key?: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${simulator.url}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(key ? { authorization: `Bearer ${key}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as T };
}

export interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** A form-encoded Stripe call without the client (no retries, raw bytes back). */
export async function rawStripe(simulator: PspSimulator, key: string, method: string, path: string, form?: Record<string, string>, idempotencyKey?: string): Promise<RawAnswer> {
  const response = await fetch(`${simulator.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...(idempotencyKey !== undefined ? { 'idempotency-key': idempotencyKey } : {}),
    },
    ...(form ? { body: new URLSearchParams(form).toString() } : {}),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
