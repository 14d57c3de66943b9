import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PspSimulator } from '../src/index.js';
import { startTestSimulator, stripeClient, testKey } from './support/simulator.js';

let simulator: PspSimulator;
let stripe: Stripe;

beforeAll(async () => {
  simulator = await startTestSimulator();
  stripe = stripeClient(simulator);
});
afterAll(() => simulator.close());

const card = { payment_method: 'pm_card_visa', allowed_payment_method_types: ['card'] };

describe('PaymentIntents through the official stripe client', () => {
  it('R-PAY-1: create with confirm=true and pm_card_visa succeeds with a charge', async () => {
    const intent = await stripe.paymentIntents.create({ amount: 2000, currency: 'usd', confirm: true, ...card, metadata: { purchase_id: 'p-1' } });
    expect(intent).toMatchObject({ object: 'payment_intent', amount: 2000, amount_received: 2000, currency: 'usd', status: 'succeeded', livemode: false, metadata: { purchase_id: 'p-1' } });
    expect(intent.id).toMatch(/^pi_\w{24}$/);
    expect(intent.payment_method).toMatch(/^pm_/);
    expect(intent.latest_charge).toMatch(/^ch_/);
    expect(intent.client_secret).toMatch(new RegExp(`^${intent.id}_secret_`));
    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({ status: 'succeeded', paid: true, captured: true, amount: 2000, payment_intent: intent.id });
    const retrieved = await stripe.paymentIntents.retrieve(intent.id, { expand: ['latest_charge'] });
    expect(retrieved.status).toBe('succeeded');
    expect((retrieved.latest_charge as Stripe.Charge).id).toBe(charge.id);
    const listed = await stripe.charges.list({ payment_intent: intent.id, expand: ['data.payment_intent'] });
    expect((listed.data[0]?.payment_intent as Stripe.PaymentIntent).id).toBe(intent.id);
    await expect(stripe.paymentIntents.retrieve(intent.id, { expand: ['customer_balance'] })).rejects.toMatchObject({ statusCode: 400, param: 'expand' });
  });

  it('R-PAY-1: create, then confirm separately; a second confirm is refused', async () => {
    const created = await stripe.paymentIntents.create({ amount: 1500, currency: 'eur', allowed_payment_method_types: ['card'] });
    expect(created.status).toBe('requires_payment_method');
    const confirmed = await stripe.paymentIntents.confirm(created.id, { payment_method: 'pm_card_mastercard' });
    expect(confirmed.status).toBe('succeeded');
    const again = await stripe.paymentIntents.confirm(created.id).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(again).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
  });

  it('R-PAY-1: pm_card_chargeDeclined answers 402 card_error and leaves the intent requiring a payment method', async () => {
    const error = await stripe.paymentIntents
      .create({ amount: 2000, currency: 'usd', confirm: true, payment_method: 'pm_card_chargeDeclined', allowed_payment_method_types: ['card'] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    const cardError = error as Stripe.errors.StripeCardError;
    expect(cardError).toMatchObject({ statusCode: 402, type: 'StripeCardError', code: 'card_declined', decline_code: 'generic_decline' });
    expect(cardError.payment_intent).toMatchObject({ status: 'requires_payment_method', last_payment_error: { code: 'card_declined' } });
    const intent = await stripe.paymentIntents.retrieve(cardError.payment_intent?.id as string);
    expect(intent.status).toBe('requires_payment_method');
    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({ status: 'failed', failure_code: 'card_declined' });
  });

  it('R-PAY-1: other decline cards carry their own codes', async () => {
    const funds = await stripe.paymentIntents
      .create({ amount: 2000, currency: 'usd', confirm: true, payment_method: 'pm_card_chargeDeclinedInsufficientFunds', allowed_payment_method_types: ['card'] })
      .catch((caught: unknown) => caught);
    expect(funds).toMatchObject({ code: 'card_declined', decline_code: 'insufficient_funds' });
    const expired = await stripe.paymentIntents
      .create({ amount: 2000, currency: 'usd', confirm: true, payment_method: 'pm_card_chargeDeclinedExpiredCard', allowed_payment_method_types: ['card'] })
      .catch((caught: unknown) => caught);
    expect(expired).toMatchObject({ code: 'expired_card' });
  });

  it('like Stripe since 2023-08-16, confirming with automatic payment methods needs a return_url or allow_redirects=never', async () => {
    const error = await stripe.paymentIntents.create({ amount: 2000, currency: 'usd', confirm: true, payment_method: 'pm_card_visa' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 400, param: 'return_url' });
    const never = await stripe.paymentIntents.create({
      amount: 2000,
      currency: 'usd',
      confirm: true,
      payment_method: 'pm_card_visa',
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    expect(never.status).toBe('succeeded');
    const withUrl = await stripe.paymentIntents.create({ amount: 2000, currency: 'usd', confirm: true, payment_method: 'pm_card_visa', return_url: 'https://example.com/done' });
    expect(withUrl.status).toBe('succeeded');
  });

  it('a card that needs authentication is requires_action on session and declines off session', async () => {
    const onSession = await stripe.paymentIntents.create({ amount: 2000, currency: 'usd', confirm: true, payment_method: 'pm_card_authenticationRequired', allowed_payment_method_types: ['card'] });
    expect(onSession).toMatchObject({ status: 'requires_action', next_action: { type: 'use_stripe_sdk' } });
    await expect(
      stripe.paymentIntents.create({ amount: 2000, currency: 'usd', confirm: true, off_session: 'one_off', payment_method: 'pm_card_authenticationRequired', allowed_payment_method_types: ['card'] }),
    ).rejects.toMatchObject({ statusCode: 402, code: 'authentication_required' });
  });

  it('cancel: a pending intent becomes canceled; a succeeded one cannot be canceled', async () => {
    const pending = await stripe.paymentIntents.create({ amount: 900, currency: 'usd', allowed_payment_method_types: ['card'] });
    const canceled = await stripe.paymentIntents.cancel(pending.id, { cancellation_reason: 'abandoned' });
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
    expect(canceled.canceled_at).toBeTypeOf('number');
    const paid = await stripe.paymentIntents.create({ amount: 900, currency: 'usd', confirm: true, ...card });
    await expect(stripe.paymentIntents.cancel(paid.id)).rejects.toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
  });

  it('manual capture: requires_capture, then capture succeeds', async () => {
    const held = await stripe.paymentIntents.create({ amount: 3000, currency: 'usd', confirm: true, capture_method: 'manual', ...card });
    expect(held).toMatchObject({ status: 'requires_capture', amount_capturable: 3000 });
    const captured = await stripe.paymentIntents.capture(held.id, { amount_to_capture: 2500 });
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 2500 });
  });

  it('update changes metadata (an empty value removes a key)', async () => {
    const intent = await stripe.paymentIntents.create({ amount: 700, currency: 'usd', allowed_payment_method_types: ['card'], metadata: { a: '1', b: '2' } });
    const updated = await stripe.paymentIntents.update(intent.id, { metadata: { b: '', c: '3' } });
    expect(updated.metadata).toEqual({ a: '1', c: '3' });
  });

  it('list pages newest first with limit and starting_after, and filters on created[gte]', async () => {
    const client = stripeClient(simulator);
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) ids.push((await client.paymentIntents.create({ amount: 1000 + index, currency: 'usd', allowed_payment_method_types: ['card'] })).id);
    const first = await client.paymentIntents.list({ limit: 2 });
    expect(first).toMatchObject({ object: 'list', has_more: true, url: '/v1/payment_intents' });
    expect(first.data.map((intent) => intent.id)).toEqual([ids[4], ids[3]]);
    const second = await client.paymentIntents.list({ limit: 2, starting_after: ids[3] });
    expect(second.data.map((intent) => intent.id)).toEqual([ids[2], ids[1]]);
    const all: string[] = [];
    for await (const intent of client.paymentIntents.list({ limit: 2 })) all.push(intent.id);
    expect(all).toEqual([...ids].reverse());
    const future = await client.paymentIntents.list({ created: { gte: Math.floor(Date.now() / 1000) + 3600 } });
    expect(future.data).toEqual([]);
    const recent = await client.paymentIntents.list({ created: { gte: Math.floor(Date.now() / 1000) - 3600 }, limit: 100 });
    expect(recent.data).toHaveLength(5);
    const newer = await client.paymentIntents.list({ ending_before: ids[1], limit: 2 });
    expect(newer.data.map((intent) => intent.id)).toEqual([ids[3], ids[2]]);
    await expect(client.paymentIntents.list({ starting_after: 'pi_unknown' })).rejects.toMatchObject({ statusCode: 400, code: 'resource_missing' });
    await expect(client.paymentIntents.list({ limit: 101 })).rejects.toMatchObject({ statusCode: 400, param: 'limit' });
  });

  it('search finds intents by metadata with Stripe query syntax', async () => {
    const client = stripeClient(simulator);
    const wanted = await client.paymentIntents.create({ amount: 1234, currency: 'usd', allowed_payment_method_types: ['card'], metadata: { purchase_id: 'pur_42' } });
    await client.paymentIntents.create({ amount: 1234, currency: 'usd', allowed_payment_method_types: ['card'], metadata: { purchase_id: 'pur_43' } });
    const found = await client.paymentIntents.search({ query: "metadata['purchase_id']:'pur_42'" });
    expect(found).toMatchObject({ object: 'search_result', has_more: false, next_page: null });
    expect(found.data.map((intent) => intent.id)).toEqual([wanted.id]);
    const both = await client.paymentIntents.search({ query: 'amount>=1234 AND status:"requires_payment_method"', limit: 1 });
    expect(both.has_more).toBe(true);
    const next = await client.paymentIntents.search({ query: 'amount>=1234 AND status:"requires_payment_method"', limit: 1, page: both.next_page as string });
    expect(next.data).toHaveLength(1);
    await expect(client.paymentIntents.search({ query: "nonsense:'x'" })).rejects.toMatchObject({ statusCode: 400, param: 'query' });
  });

  it('errors have Stripe bodies and statuses: unknown id, missing param, unknown param, bad key', async () => {
    await expect(stripe.paymentIntents.retrieve('pi_doesnotexist')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing', type: 'StripeInvalidRequestError' });
    await expect(stripe.paymentIntents.create({ amount: 2000 } as Stripe.PaymentIntentCreateParams)).rejects.toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'currency' });
    await expect(stripe.paymentIntents.create({ amount: 10, currency: 'usd' })).rejects.toMatchObject({ code: 'amount_too_small', param: 'amount' });
    await expect(stripe.paymentIntents.create({ amount: 2000, currency: 'usd', foo: 'bar' } as Stripe.PaymentIntentCreateParams)).rejects.toMatchObject({ code: 'parameter_unknown', param: 'foo' });
    await expect(stripe.paymentIntents.create({ amount: 2000, currency: 'usd', confirm: true, payment_method: 'pm_nope', allowed_payment_method_types: ['card'] })).rejects.toMatchObject({
      code: 'resource_missing',
      param: 'payment_method',
    });
    const live = new Stripe('sk_live_abc', { host: simulator.host, port: simulator.port, protocol: 'http', maxNetworkRetries: 0 });
    await expect(live.paymentIntents.list()).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    const raw = await fetch(`${simulator.url}/v1/payment_intents`);
    expect(raw.status).toBe(401);
    expect(((await raw.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    const unknown = await fetch(`${simulator.url}/v1/nothing`, { headers: { authorization: `Bearer ${testKey()}` } });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain('Unrecognized request URL (GET: /v1/nothing)');
  });

  it('each secret key is its own account', async () => {
    const mine = await stripe.paymentIntents.create({ amount: 2000, currency: 'usd', allowed_payment_method_types: ['card'] });
    const other = stripeClient(simulator);
    await expect(other.paymentIntents.retrieve(mine.id)).rejects.toMatchObject({ statusCode: 404 });
    expect((await other.paymentIntents.list()).data).toEqual([]);
  });
});
