import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PspSimulator } from '../src/index.js';
import { startTestSimulator, stripeClient } from './support/simulator.js';

let simulator: PspSimulator;

beforeAll(async () => {
  simulator = await startTestSimulator();
});
afterAll(() => simulator.close());

async function paidIntent(stripe: Stripe, amount = 2000): Promise<Stripe.PaymentIntent> {
  return stripe.paymentIntents.create({ amount, currency: 'usd', confirm: true, payment_method: 'pm_card_visa', allowed_payment_method_types: ['card'] });
}

describe('Refunds', () => {
  it('a full refund by payment_intent refunds the whole charge and emits refund.created and charge.refunded', async () => {
    const stripe = stripeClient(simulator);
    const intent = await paidIntent(stripe);
    const refund = await stripe.refunds.create({ payment_intent: intent.id, reason: 'requested_by_customer', metadata: { refund_id: 'r-1' } });
    expect(refund).toMatchObject({ object: 'refund', amount: 2000, currency: 'usd', status: 'succeeded', payment_intent: intent.id, charge: intent.latest_charge, metadata: { refund_id: 'r-1' } });
    expect(refund.id).toMatch(/^re_/);
    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({ amount_refunded: 2000, refunded: true });
    expect(await stripe.refunds.retrieve(refund.id)).toMatchObject({ id: refund.id, amount: 2000 });
    const types = (await stripe.events.list({ types: ['refund.created', 'charge.refunded'] })).data.map((event) => event.type);
    expect(types).toEqual(['charge.refunded', 'refund.created']);
    const refunded = (await stripe.events.list({ type: 'charge.refunded' })).data[0];
    expect(refunded?.data.previous_attributes).toEqual({ amount_refunded: 0, refunded: false });
  });

  it('partial refunds add up to the charge; one more is charge_already_refunded, too much is amount_too_large', async () => {
    const stripe = stripeClient(simulator);
    const intent = await paidIntent(stripe, 3000);
    await stripe.refunds.create({ payment_intent: intent.id, amount: 1000 });
    await expect(stripe.refunds.create({ payment_intent: intent.id, amount: 2500 })).rejects.toMatchObject({ statusCode: 400, code: 'amount_too_large', param: 'amount' });
    const rest = await stripe.refunds.create({ charge: intent.latest_charge as string });
    expect(rest.amount).toBe(2000);
    await expect(stripe.refunds.create({ payment_intent: intent.id, amount: 1 })).rejects.toMatchObject({ statusCode: 400, code: 'charge_already_refunded' });
    const listed = await stripe.refunds.list({ payment_intent: intent.id });
    expect(listed.data.map((refund) => refund.amount)).toEqual([2000, 1000]);
  });

  it('a payment that never succeeded cannot be refunded; an unknown one is resource_missing', async () => {
    const stripe = stripeClient(simulator);
    const pending = await stripe.paymentIntents.create({ amount: 2000, currency: 'usd', allowed_payment_method_types: ['card'] });
    await expect(stripe.refunds.create({ payment_intent: pending.id })).rejects.toMatchObject({ statusCode: 400, code: 'charge_not_refundable' });
    await expect(stripe.refunds.create({ payment_intent: 'pi_unknown' })).rejects.toMatchObject({ code: 'resource_missing', param: 'payment_intent' });
    await expect(stripe.refunds.create({})).rejects.toMatchObject({ statusCode: 400, code: 'parameter_missing' });
    await expect(stripe.refunds.retrieve('re_unknown')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('an idempotent refund retried with its key refunds once', async () => {
    const stripe = stripeClient(simulator);
    const intent = await paidIntent(stripe);
    const first = await stripe.refunds.create({ payment_intent: intent.id, amount: 700 }, { idempotencyKey: 'refund-1' });
    const again = await stripe.refunds.create({ payment_intent: intent.id, amount: 700 }, { idempotencyKey: 'refund-1' });
    expect(again.id).toBe(first.id);
    expect((await stripe.charges.retrieve(intent.latest_charge as string)).amount_refunded).toBe(700);
  });

  it('refund metadata can be updated', async () => {
    const stripe = stripeClient(simulator);
    const intent = await paidIntent(stripe);
    const refund = await stripe.refunds.create({ payment_intent: intent.id });
    expect((await stripe.refunds.update(refund.id, { metadata: { note: 'x' } })).metadata).toEqual({ note: 'x' });
  });
});
