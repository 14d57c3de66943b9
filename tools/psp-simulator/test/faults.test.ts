import { randomUUID } from 'node:crypto';
import { waitFor } from '@bursary/testing';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorControl, type ChargeQuery, type ChargeReport, type FaultRule, type FaultSpec, type PspSimulator } from '../src/index.js';
import { control, rawStripe, startTestSimulator, stripeClient, testKey } from './support/simulator.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

let simulator: PspSimulator;
const verifier = new Stripe('sk_test_verifier');
const SECRET = 'whsec_faults';

beforeAll(async () => {
  simulator = await startTestSimulator();
});
afterAll(() => simulator.close());

const params = { amount: 2000, currency: 'usd', confirm: true, payment_method: 'pm_card_visa', allowed_payment_method_types: ['card' as const] };
const form = { amount: '2000', currency: 'usd', confirm: 'true', payment_method: 'pm_card_visa', 'allowed_payment_method_types[0]': 'card' };

function fault(spec: FaultSpec, key?: string): Promise<FaultRule> {
  return simulatorControl(simulator.url, key).addFault(spec);
}

function charges(key: string, query: ChargeQuery = {}): Promise<ChargeReport> {
  return simulatorControl(simulator.url, key).charges(query);
}

/** A key whose account sends its webhooks to a receiver of its own. */
async function accountWithReceiver(): Promise<{ key: string; receiver: WebhookReceiver; types: () => string[] }> {
  const key = testKey();
  const receiver = await startWebhookReceiver();
  await simulatorControl(simulator.url, key).setWebhook(receiver.url, SECRET);
  const types = () => receiver.received.map((delivery) => verifier.webhooks.constructEvent(delivery.body, delivery.headers['stripe-signature'] as string, SECRET).type);
  return { key, receiver, types };
}

describe('fault injection', () => {
  it('R-PAY-1: timeoutAfterCharge: the card is charged but the answer is lost; the retry with the same key replays it, one charge', async () => {
    const key = testKey();
    await fault({ timeoutAfterCharge: 1, match: { metadata: { purchase_id: 'p-timeout' } } }, key);
    const idempotencyKey = randomUUID();
    const tagged = { ...form, 'metadata[purchase_id]': 'p-timeout' };
    await expect(rawStripe(simulator, key, 'POST', '/v1/payment_intents', tagged, idempotencyKey)).rejects.toThrow();
    expect((await charges(key, { metadata: { purchase_id: 'p-timeout' } })).total).toBe(1);
    const retry = await rawStripe(simulator, key, 'POST', '/v1/payment_intents', tagged, idempotencyKey);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(JSON.parse(retry.text)).toMatchObject({ status: 'succeeded' });
    expect((await charges(key)).by_idempotency_key).toEqual({ [idempotencyKey]: 1 });
  });

  it('R-PAY-1: the stripe client itself retries a reset connection with its key: still exactly one charge', async () => {
    const key = testKey();
    await fault({ timeoutAfterCharge: 1 }, key);
    const intent = await stripeClient(simulator, key).paymentIntents.create(params, { idempotencyKey: 'client-retry' });
    expect(intent.status).toBe('succeeded');
    expect((await charges(key)).by_idempotency_key).toEqual({ 'client-retry': 1 });
  });

  it('R-PAY-1: timeoutMode hang: the client times out after the charge; asking again with the key finds the one payment', async () => {
    const key = testKey();
    await fault({ timeoutAfterCharge: 1, timeoutMode: 'hang' }, key);
    const impatient = stripeClient(simulator, key, { timeout: 300 });
    await expect(impatient.paymentIntents.create(params, { idempotencyKey: 'hang-1' })).rejects.toBeInstanceOf(Stripe.errors.StripeConnectionError);
    const again = await stripeClient(simulator, key).paymentIntents.create(params, { idempotencyKey: 'hang-1' });
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect((await charges(key)).total).toBe(1);
  });

  it('failNext5xx: the next n requests answer 5xx api_error without doing anything; a retrying client gets through with one charge', async () => {
    const key = testKey();
    await fault({ failNext5xx: 2, failStatus: 503 }, key);
    const once = stripeClient(simulator, key);
    await expect(once.paymentIntents.create(params, { idempotencyKey: 'f-1' })).rejects.toMatchObject({ statusCode: 503, type: 'StripeAPIError' });
    expect((await charges(key)).total).toBe(0);
    await fault({ failNext5xx: 2 }, key);
    const patient = stripeClient(simulator, key, { maxNetworkRetries: 4 });
    // One fault left from the first rule plus two more: three 5xx, then success.
    const intent = await patient.paymentIntents.create(params, { idempotencyKey: 'f-2' });
    expect(intent.status).toBe('succeeded');
    expect((await charges(key)).by_idempotency_key).toEqual({ 'f-2': 1 });
  });

  it('latencyMs: a slow PSP makes the client time out although the payment goes through', async () => {
    const key = testKey();
    await fault({ latencyMs: 800, requests: 1 }, key);
    const impatient = stripeClient(simulator, key, { timeout: 200 });
    await expect(impatient.paymentIntents.create(params, { idempotencyKey: 'slow-1' })).rejects.toBeInstanceOf(Stripe.errors.StripeConnectionError);
    await waitFor(async () => (await charges(key)).total === 1, { what: 'the slow charge' });
    const fast = await stripeClient(simulator, key).paymentIntents.create(params, { idempotencyKey: 'slow-1' });
    expect(fast.status).toBe('succeeded');
    expect((await charges(key)).total).toBe(1);
  });

  it('closing the simulator does not wait for injected latency', async () => {
    const own = await startTestSimulator();
    const key = testKey();
    await simulatorControl(own.url, key).addFault({ latencyMs: 600_000 });
    const pending = stripeClient(own, key).paymentIntents.list().catch((error: unknown) => error);
    await waitFor(async () => (await control<{ in_flight_requests: number }>(own, 'GET', '/_sim')).body.in_flight_requests === 1, { what: 'the delayed request' });
    await own.close();
    await pending;
  });

  it('faults scoped to a metadata tag or an API key leave everything else alone', async () => {
    const key = testKey();
    const other = testKey();
    await fault({ failNext5xx: 5, match: { metadata: { purchase_id: 'tagged' } } }, key);
    const stripe = stripeClient(simulator, key);
    const plain = await stripe.paymentIntents.create({ ...params, confirm: false });
    expect(plain.status).toBe('requires_confirmation');
    await expect(stripe.paymentIntents.create({ ...params, metadata: { purchase_id: 'tagged' } })).rejects.toMatchObject({ statusCode: 500 });
    expect((await stripeClient(simulator, other).paymentIntents.create({ ...params, metadata: { purchase_id: 'tagged' } })).status).toBe('succeeded');
    // The confirm of a tagged intent is caught through the intent's metadata.
    await fault({ failNext5xx: 1, match: { metadata: { purchase_id: 'later' }, path: '/v1/payment_intents/' } }, key);
    const later = await stripe.paymentIntents.create({ ...params, confirm: false, metadata: { purchase_id: 'later' } });
    await expect(stripe.paymentIntents.confirm(later.id)).rejects.toMatchObject({ statusCode: 500 });
    expect((await stripe.paymentIntents.confirm(later.id)).status).toBe('succeeded');
  });

  it('R-PAY-4: duplicateWebhooks delivers each event several times, all validly signed with the same event id', async () => {
    const { key, receiver, types } = await accountWithReceiver();
    try {
      await fault({ duplicateWebhooks: 4, match: { eventTypes: ['payment_intent.succeeded'] } }, key);
      await stripeClient(simulator, key).paymentIntents.create(params);
      await waitFor(() => types().filter((type) => type === 'payment_intent.succeeded').length === 5, { what: 'five copies' });
      const ids = new Set(
        receiver.received
          .map((delivery) => verifier.webhooks.constructEvent(delivery.body, delivery.headers['stripe-signature'] as string, SECRET))
          .filter((event) => event.type === 'payment_intent.succeeded')
          .map((event) => event.id),
      );
      expect(ids.size).toBe(1);
      await waitFor(() => types().length === 7, { what: 'the other two events' });
    } finally {
      await receiver.close();
    }
  });

  it('R-PAY-4: outOfOrderWebhooks delivers held events newest first (succeeded before created)', async () => {
    const { key, receiver, types } = await accountWithReceiver();
    try {
      await fault({ outOfOrderWebhooks: true, outOfOrderWindowMs: 300 }, key);
      await stripeClient(simulator, key).paymentIntents.create(params);
      await waitFor(() => types().length === 3, { what: 'three events' });
      expect(types()).toEqual(['payment_intent.succeeded', 'charge.succeeded', 'payment_intent.created']);
    } finally {
      await receiver.close();
    }
  });

  it('dropWebhooks loses events (recorded as dropped) that the events API still lists, for reconciliation to find', async () => {
    const { key, receiver, types } = await accountWithReceiver();
    try {
      await fault({ dropWebhooks: 1, match: { eventTypes: ['payment_intent.succeeded'] } }, key);
      const stripe = stripeClient(simulator, key);
      await stripe.paymentIntents.create(params);
      await waitFor(() => types().length === 2, { what: 'the two other events' });
      const [succeeded] = (await stripe.events.list({ type: 'payment_intent.succeeded' })).data;
      const deliveries = await simulatorControl(simulator.url, key).deliveries({ event: succeeded?.id as string });
      expect(deliveries.map((delivery) => delivery.status)).toEqual(['dropped']);
      expect(types()).not.toContain('payment_intent.succeeded');
      await simulatorControl(simulator.url, key).resendEvent(succeeded?.id as string);
      await waitFor(() => types().includes('payment_intent.succeeded'), { what: 'the resent event' });
    } finally {
      await receiver.close();
    }
  });

  it('faults can be listed with their remaining budget, removed, and are refused when malformed', async () => {
    const key = testKey();
    const { id } = await fault({ failNext5xx: 3 }, key);
    expect(await simulatorControl(simulator.url, key).faults()).toEqual([expect.objectContaining({ id, remaining: expect.objectContaining({ fail5xx: 3 }) })]);
    expect((await control(simulator, 'DELETE', `/_sim/faults/${id}`, undefined, key)).status).toBe(200);
    expect((await control(simulator, 'DELETE', `/_sim/faults/${id}`, undefined, key)).status).toBe(404);
    expect((await control(simulator, 'POST', '/_sim/faults', { failNext5xx: -1 }, key)).status).toBe(400);
    expect((await control(simulator, 'POST', '/_sim/faults', { nonsense: true }, key)).status).toBe(400);
  });

  it('POST /_sim/reset with a key forgets that account only', async () => {
    const [key, other] = [testKey(), testKey()];
    await stripeClient(simulator, key).paymentIntents.create(params);
    await stripeClient(simulator, other).paymentIntents.create(params);
    await simulatorControl(simulator.url, key).reset();
    expect((await charges(key)).total).toBe(0);
    expect((await charges(other)).total).toBe(1);
  });
});
