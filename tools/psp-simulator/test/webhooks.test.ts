import { waitFor } from '@bursary/testing';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorControl, type Delivery, type PspSimulator } from '../src/index.js';
import { control, startTestSimulator, stripeClient, testKey } from './support/simulator.js';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from './support/webhook-receiver.js';

const SECRET = 'whsec_test_simulator_secret';
let receiver: WebhookReceiver;
let simulator: PspSimulator;
const verifier = new Stripe('sk_test_verifier');

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  simulator = await startTestSimulator({ webhookUrl: receiver.url, webhookSecret: SECRET });
});
afterAll(async () => {
  await simulator.close();
  await receiver.close();
});

function eventsFor(received: ReceivedWebhook[], secret: string, intentId: string): Stripe.Event[] {
  return received
    .map((delivery) => verifier.webhooks.constructEvent(delivery.body, delivery.headers['stripe-signature'] as string, secret))
    .filter((event) => {
      const object = event.data.object as { id?: string; payment_intent?: string };
      return object.id === intentId || object.payment_intent === intentId;
    });
}

function deliveriesOf(eventId: string): Promise<Delivery[]> {
  return simulatorControl(simulator.url).deliveries({ event: eventId });
}

describe('webhooks', () => {
  it('R-PAY-4: every state change is an event, POSTed with a Stripe-Signature that stripe.webhooks.constructEvent verifies', async () => {
    const stripe = stripeClient(simulator);
    const intent = await stripe.paymentIntents.create(
      { amount: 2000, currency: 'usd', confirm: true, payment_method: 'pm_card_visa', allowed_payment_method_types: ['card'] },
      { idempotencyKey: 'purchase-webhook-1' },
    );
    const events = await waitFor(() => {
      const found = eventsFor(receiver.received, SECRET, intent.id);
      return found.length >= 3 && found;
    }, { what: 'three signed events' });
    expect(events.map((event) => event.type).sort()).toEqual(['charge.succeeded', 'payment_intent.created', 'payment_intent.succeeded']);
    const succeeded = events.find((event) => event.type === 'payment_intent.succeeded') as Stripe.PaymentIntentSucceededEvent;
    expect(succeeded.id).toMatch(/^evt_/);
    expect(succeeded).toMatchObject({ object: 'event', livemode: false, request: { idempotency_key: 'purchase-webhook-1' } });
    expect(succeeded.data.object).toMatchObject({ id: intent.id, status: 'succeeded', amount: 2000 });
    const header = receiver.received[0]?.headers['stripe-signature'] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(() => verifier.webhooks.constructEvent(receiver.received[0]?.body as string, header, 'whsec_wrong')).toThrow(Stripe.errors.StripeSignatureVerificationError);

    const listed = await stripe.events.list({ type: 'payment_intent.*' });
    expect(listed.data.map((event) => event.type)).toEqual(['payment_intent.succeeded', 'payment_intent.created']);
    const retrieved = await stripe.events.retrieve(succeeded.id);
    expect(retrieved.id).toBe(succeeded.id);
    await waitFor(async () => (await stripe.events.retrieve(succeeded.id)).pending_webhooks === 0, { what: 'pending_webhooks 0' });
  });

  it('R-PAY-4: a non-2xx answer is retried along the (compressed) Stripe schedule until it succeeds', async () => {
    const stripe = stripeClient(simulator);
    receiver.statuses.push(500, 503);
    const intent = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', allowed_payment_method_types: ['card'] });
    const [event] = (await stripe.events.list({ type: 'payment_intent.created' })).data;
    expect((event?.data.object as Stripe.PaymentIntent).id).toBe(intent.id);
    const delivery = await waitFor(async () => {
      const [found] = await deliveriesOf(event?.id as string);
      return found?.status === 'succeeded' && found;
    }, { what: 'a successful delivery' });
    expect(delivery.attempts.map((attempt) => attempt.status)).toEqual([500, 503, 200]);
    const copies = eventsFor(receiver.received, SECRET, intent.id);
    expect(copies.map((copy) => copy.id)).toEqual([event?.id, event?.id, event?.id]);
  });

  it('R-PAY-4: an endpoint that never answers 2xx gets Stripe’s ten attempts, then the delivery fails', async () => {
    const failing = await startWebhookReceiver();
    const fast = await startTestSimulator({ webhookUrl: failing.url, timeFactor: 2_000_000 });
    try {
      failing.statuses.push(...Array.from({ length: 20 }, () => 500));
      const stripe = stripeClient(fast);
      await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', allowed_payment_method_types: ['card'] });
      const data = await waitFor(async () => {
        const failed = await simulatorControl(fast.url).deliveries({ status: 'failed' });
        return failed.length === 1 && failed;
      }, { what: 'a failed delivery' });
      expect(data[0]?.attempts).toHaveLength(10);
      expect(failing.received).toHaveLength(10);
    } finally {
      await fast.close();
      await failing.close();
    }
  });

  it('an account with its own webhook endpoint (POST /v1/webhook_endpoints) gets its events there, signed with that endpoint’s secret', async () => {
    const own = await startWebhookReceiver();
    try {
      const stripe = stripeClient(simulator);
      const endpoint = await stripe.webhookEndpoints.create({ url: own.url, enabled_events: ['payment_intent.canceled'] });
      expect(endpoint.secret).toMatch(/^whsec_/);
      const intent = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', allowed_payment_method_types: ['card'] });
      await stripe.paymentIntents.cancel(intent.id);
      const [event] = await waitFor(() => own.received.length > 0 && own.received, { what: 'the canceled event' }).then((received) =>
        eventsFor(received, endpoint.secret as string, intent.id),
      );
      expect(event?.type).toBe('payment_intent.canceled');
      expect(own.received).toHaveLength(1);
      expect(eventsFor(receiver.received, SECRET, intent.id)).toEqual([]);
      expect((await stripe.webhookEndpoints.list()).data[0]).not.toHaveProperty('secret');
      expect(await stripe.webhookEndpoints.del(endpoint.id)).toMatchObject({ deleted: true });
    } finally {
      await own.close();
    }
  });

  it('PUT /_sim/webhook with a key sends only that account’s events to another URL', async () => {
    const own = await startWebhookReceiver();
    try {
      const key = testKey();
      const answer = await control(simulator, 'PUT', '/_sim/webhook', { url: own.url, secret: 'whsec_account' }, key);
      expect(answer).toMatchObject({ status: 200, body: { scope: 'account', url: own.url } });
      const intent = await stripeClient(simulator, key).paymentIntents.create({ amount: 1000, currency: 'usd', allowed_payment_method_types: ['card'] });
      await waitFor(() => own.received.length === 1, { what: 'the account’s event' });
      expect(eventsFor(own.received, 'whsec_account', intent.id)).toHaveLength(1);
    } finally {
      await own.close();
    }
  });
});
